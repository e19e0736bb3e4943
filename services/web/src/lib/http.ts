import { env } from '@/lib/env';

/** One entry of a problem's `errors` member: which request field was refused and why. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * RFC 9457 problem details, the error body every SyncWatch service returns
 * (docs/protocol.md), with the SyncWatch members `code`, `errors` and `retryAfter`.
 */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Machine-readable reason, e.g. `invalid_credentials`, `username_taken`. */
  code?: string;
  /** Per-field reasons of a 400. */
  errors?: FieldError[];
  /** Seconds to wait before trying again (429). */
  retryAfter?: number;
  [extension: string]: unknown;
}

/**
 * A failed API call. `status` is 0 when no HTTP response arrived at all (offline,
 * connection refused, CORS), otherwise the response status.
 */
export class ApiError extends Error {
  /** The problem's `code`, when the body was a problem document that had one. */
  readonly code: string | undefined;
  /** The problem's `errors[]` (empty when there were none). */
  readonly fieldErrors: readonly FieldError[];
  /** Seconds to wait before trying again: the `retryAfter` member, else the `Retry-After` header. */
  readonly retryAfter: number | undefined;

  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | null,
    message: string,
    retryAfterHeader: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = problem?.code;
    this.fieldErrors = problem?.errors ?? [];
    this.retryAfter = problem?.retryAfter ?? parseRetryAfter(retryAfterHeader);
  }

  /**
   * True when the service behind the path is not there to answer: no response, a 404 for
   * the endpoint itself (no `code`, or the generic `not_found` of a route nobody serves; a
   * finer code such as `user_not_found` is an answer), or a 5xx from the server or a proxy.
   */
  get isServiceUnavailable(): boolean {
    if (this.status === 404) return this.code === undefined || this.code === 'not_found';
    return this.status === 0 || this.status >= 500;
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }

  /** The text to show a person: the problem's `detail`, else its `title`, else a generic line. */
  get userMessage(): string {
    return this.problem?.detail ?? this.problem?.title ?? this.message;
  }

  /** The message the server gave for one request field, if any. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((entry) => entry.field === field)?.message;
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries: FieldError[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.message !== 'string') continue;
    // `field` is the contract's name; `key` is what the HTTP framework's own validation uses.
    const field = typeof item.field === 'string' ? item.field : typeof item.key === 'string' ? item.key : '';
    entries.push({ field, message: item.message });
  }
  return entries;
}

/** Keeps only well-typed members, so code reading a problem can trust what it finds. */
export function toProblem(body: unknown): ProblemDetails | null {
  if (!isRecord(body)) return null;
  const problem: ProblemDetails = { ...body };
  for (const key of ['type', 'title', 'detail', 'instance', 'code'] as const) {
    if (key in body && typeof body[key] !== 'string') delete problem[key];
  }
  if ('status' in body && typeof body.status !== 'number') delete problem.status;
  if ('retryAfter' in body) {
    const seconds = body.retryAfter;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) problem.retryAfter = Math.ceil(seconds);
    else delete problem.retryAfter;
  }
  if ('errors' in body) {
    const errors = toFieldErrors(body.errors);
    if (errors === undefined) delete problem.errors;
    else problem.errors = errors;
  }
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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SendOptions {
  method?: HttpMethod;
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as `Authorization: Bearer <token>` when given. */
  token?: string | null;
}

/**
 * One request to the SyncWatch REST API at `env.apiBaseUrl + path`, JSON in and out, the
 * refresh cookie included (`credentials: 'same-origin'`). Resolves with the parsed body on
 * a 2xx (null when it is empty, e.g. 204); rejects with {@link ApiError} otherwise.
 * No retry and no refresh here: that is `apiRequest` in `api-client.ts`.
 */
export async function send<T>(path: string, options: SendOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, token } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

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
      response.headers.get('retry-after'),
    );
  }
  return parsed as T;
}
