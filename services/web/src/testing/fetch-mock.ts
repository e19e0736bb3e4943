import { vi } from 'vitest';

import type { SessionResponse, User } from '@/lib/auth-types';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A problem document (docs/protocol.md). */
export function problem(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, detail: `${code} detail`, code, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export const testUser: User = {
  id: 'u_ann',
  email: 'ann@example.com',
  username: 'ann',
  createdAt: '2026-11-23T22:00:00Z',
};

export function sessionBody(overrides: Partial<SessionResponse> = {}): SessionResponse {
  return { accessToken: 'token-1', tokenType: 'Bearer', expiresIn: 900, user: testUser, ...overrides };
}

/** The URL a `fetch` was called with, whatever form it took. */
export function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/**
 * Stubs `fetch` with handlers keyed `"METHOD /path"` (the path without the query string) and
 * records every request. Unknown routes go to `fallback`, which by default answers 404 with no
 * body, like a missing backend.
 */
export function mockApi(routes: Record<string, Handler>, fallback?: Handler) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(requestUrl(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const request: RecordedRequest = { method, path: `${url.pathname}${url.search}`, headers, body };
    requests.push(request);
    const handler = routes[`${method} ${url.pathname}`];
    if (handler !== undefined) return handler(request);
    return fallback === undefined ? new Response(null, { status: 404 }) : fallback(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    fetchMock,
    requests,
    /** Requests to one route, `"METHOD /path"`. */
    calls: (route: string) => requests.filter((request) => `${request.method} ${request.path.split('?')[0] ?? ''}` === route),
  };
}
