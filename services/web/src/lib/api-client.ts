import { env } from '@/lib/env';

/** RFC 9457 problem details, the error body every SyncWatch service returns. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/**
 * A failed API call. `status` is 0 when no HTTP response arrived at all (offline,
 * connection refused, CORS), otherwise the response status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * True when the service behind the path is not there to answer: no response, a 404 for
   * the endpoint itself, or a 5xx from the server or the proxy in front of it.
   */
  get isServiceUnavailable(): boolean {
    return this.status === 0 || this.status === 404 || this.status >= 500;
  }

  /** The text to show a person: the problem's `detail`, else its `title`, else a generic line. */
  get userMessage(): string {
    return this.problem?.detail ?? this.problem?.title ?? this.message;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toProblem(body: unknown): ProblemDetails | null {
  if (!isRecord(body)) return null;
  const problem: ProblemDetails = { ...body };
  for (const key of ['type', 'title', 'detail', 'instance'] as const) {
    if (key in body && typeof body[key] !== 'string') delete problem[key];
  }
  if ('status' in body && typeof body.status !== 'number') delete problem.status;
  return problem;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Calls the SyncWatch REST API at `env.apiBaseUrl + path` with JSON in and out.
 * Resolves with the parsed body on 2xx; rejects with {@link ApiError} otherwise.
 */
export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`${env.apiBaseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null, 'Could not reach the server.');
  }

  const parsed = await readBody(response);
  if (!response.ok) {
    throw new ApiError(
      response.status,
      toProblem(parsed),
      `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    );
  }
  return parsed as T;
}
