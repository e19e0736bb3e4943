import { ApiError, send, type HttpMethod } from '@/lib/http';
import { freshAccessToken, refreshSession } from '@/lib/session';
import { useSessionStore } from '@/stores/session-store';

export { ApiError, type FieldError, type ProblemDetails } from '@/lib/http';

export interface ApiRequestOptions {
  method?: HttpMethod;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Send the signed-in user's access token and, on a 401 `auth_required`, refresh the session
   * once and retry once. Default true; false for register and login, which carry credentials
   * of their own (and whose 401 means wrong credentials, not an expired token).
   */
  auth?: boolean;
}

/**
 * A 401 whose `code` names the credentials in the request body (a wrong current password) is
 * an answer about those, not about the access token; refreshing would not change it.
 */
const CREDENTIAL_CODES: ReadonlySet<string> = new Set(['invalid_credentials']);

function isExpiredToken(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 401 && !CREDENTIAL_CODES.has(error.code ?? '');
}

const currentToken = (): string | null => useSessionStore.getState().accessToken;

/**
 * Calls the SyncWatch REST API at `env.apiBaseUrl + path` with JSON in and out (see `send` in
 * http.ts for the wire details). Resolves with the parsed body on 2xx; rejects with
 * {@link ApiError} otherwise. With `auth` (the default) a token about to expire is refreshed
 * first, and a 401 for an expired or revoked access token gets exactly one refresh and one
 * retry; a second 401 is the caller's.
 */
export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const { auth = true, ...request } = options;
  if (!auth) return send<T>(path, request);

  const token = await freshAccessToken();
  try {
    return await send<T>(path, { ...request, token });
  } catch (error) {
    if (token === null || !isExpiredToken(error)) throw error;
    // Another call may already have renewed the token while this one was in flight.
    const renewed = currentToken() !== token || (await refreshSession());
    const next = currentToken();
    if (!renewed || next === null) throw error;
    return send<T>(path, { ...request, token: next });
  }
}
