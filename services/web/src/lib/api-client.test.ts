import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ApiError, apiRequest } from '@/lib/api-client';
import { parseRetryAfter } from '@/lib/http';
import { applySession } from '@/lib/session';
import { SESSION_HINT_KEY, useSessionStore } from '@/stores/session-store';
import { json, mockApi, noContent, problem, sessionBody } from '@/testing/fetch-mock';

function stubFetch(response: Response | Error): ReturnType<typeof vi.fn> {
  const fetchMock = vi.fn(() => (response instanceof Error ? Promise.reject(response) : Promise.resolve(response)));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('apiRequest: the wire', () => {
  it('sends JSON to the API base and returns the parsed body', async () => {
    const fetchMock = stubFetch(
      new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    await expect(apiRequest('/auth/login', { method: 'POST', body: { a: 1 } })).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({ method: 'POST', body: '{"a":1}', credentials: 'same-origin' }),
    );
  });

  it('resolves a 204 with null', async () => {
    stubFetch(noContent());
    await expect(apiRequest('/friends/x', { method: 'DELETE' })).resolves.toBeNull();
  });

  it('sends no Authorization header while signed out', async () => {
    const api = mockApi({ 'GET /api/friends': () => json(200, {}) });
    await apiRequest('/friends');
    expect(api.requests[0]?.headers.Authorization).toBeUndefined();
  });

  it('sends the access token as a Bearer header while signed in', async () => {
    const api = mockApi({ 'GET /api/friends': () => json(200, {}) });
    applySession(sessionBody({ accessToken: 'abc' }));
    await apiRequest('/friends');
    expect(api.requests[0]?.headers.Authorization).toBe('Bearer abc');
  });

  it('leaves the token off requests marked auth: false', async () => {
    const api = mockApi({ 'POST /api/auth/login': () => json(200, sessionBody()) });
    applySession(sessionBody({ accessToken: 'abc' }));
    await apiRequest('/auth/login', { method: 'POST', body: {}, auth: false });
    expect(api.requests[0]?.headers.Authorization).toBeUndefined();
  });
});

describe('apiRequest: problem documents', () => {
  it('reads code, detail, errors[] and retryAfter into the ApiError', async () => {
    stubFetch(
      problem(400, 'invalid_request', {
        detail: 'The request is not valid.',
        errors: [{ field: 'password', message: 'That password is too common.' }, { message: 'No field.' }, 'junk'],
      }),
    );
    const error = await rejection(apiRequest('/auth/register', { method: 'POST', body: {} }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.userMessage).toBe('The request is not valid.');
    expect(error.fieldErrors).toEqual([
      { field: 'password', message: 'That password is too common.' },
      { field: '', message: 'No field.' },
    ]);
    expect(error.fieldError('password')).toBe('That password is too common.');
    expect(error.isServiceUnavailable).toBe(false);
  });

  it('accepts the framework validation shape ({key, message}) as a field error', async () => {
    stubFetch(problem(400, 'invalid_request', { errors: [{ key: 'email', message: 'Bad email.', source: 'body' }] }));
    expect((await rejection(apiRequest('/x'))).fieldError('email')).toBe('Bad email.');
  });

  it('takes retryAfter from the body first, then from the Retry-After header', async () => {
    stubFetch(problem(429, 'rate_limited', { retryAfter: 42 }, { 'Retry-After': '7' }));
    const fromBody = await rejection(apiRequest('/x'));
    expect(fromBody.isRateLimited).toBe(true);
    expect(fromBody.retryAfter).toBe(42);

    stubFetch(problem(429, 'rate_limited', {}, { 'Retry-After': '7' }));
    expect((await rejection(apiRequest('/x'))).retryAfter).toBe(7);
  });

  it('drops members of the wrong type', async () => {
    stubFetch(problem(409, 'x', { code: 5, detail: ['no'], retryAfter: 'soon', errors: 'nope' }));
    const error = await rejection(apiRequest('/x'));
    expect(error.code).toBeUndefined();
    expect(error.retryAfter).toBeUndefined();
    expect(error.fieldErrors).toEqual([]);
    expect(error.userMessage).toBe('Error');
  });

  it('falls back to the title when there is no detail', async () => {
    stubFetch(
      new Response(JSON.stringify({ title: 'Conflict' }), {
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    expect((await rejection(apiRequest('/x'))).userMessage).toBe('Conflict');
  });

  it.each([404, 500, 502, 503])('marks a bare %i as service unavailable', async (status) => {
    stubFetch(new Response('nope', { status, headers: { 'content-type': 'text/plain' } }));
    const error = await rejection(apiRequest('/x'));
    expect(error.status).toBe(status);
    expect(error.problem).toBeNull();
    expect(error.isServiceUnavailable).toBe(true);
  });

  it('tells a missing route (404 not_found) from an answer (404 user_not_found)', async () => {
    stubFetch(problem(404, 'not_found'));
    expect((await rejection(apiRequest('/x'))).isServiceUnavailable).toBe(true);
    stubFetch(problem(404, 'user_not_found'));
    expect((await rejection(apiRequest('/x'))).isServiceUnavailable).toBe(false);
  });

  it('marks a failed connection as service unavailable', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = await rejection(apiRequest('/x'));
    expect(error.status).toBe(0);
    expect(error.isServiceUnavailable).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('apiRequest: an expired access token', () => {
  beforeEach(() => {
    applySession(sessionBody({ accessToken: 'old' }));
  });

  it('refreshes once and retries once with the new token', async () => {
    const api = mockApi({
      'GET /api/friends': ({ headers }) =>
        headers.Authorization === 'Bearer new' ? json(200, { friends: [] }) : problem(401, 'auth_required'),
      'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'new' })),
    });
    await expect(apiRequest('/friends')).resolves.toEqual({ friends: [] });
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.headers.Authorization ?? '-'}`)).toEqual([
      'GET /api/friends Bearer old',
      'POST /api/auth/refresh -',
      'GET /api/friends Bearer new',
    ]);
    expect(useSessionStore.getState().accessToken).toBe('new');
  });

  it('does not loop: a second 401 after a successful refresh is the caller’s', async () => {
    const api = mockApi({
      'GET /api/friends': () => problem(401, 'auth_required'),
      'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'new' })),
    });
    const error = await rejection(apiRequest('/friends'));
    expect(error.status).toBe(401);
    expect(api.calls('GET /api/friends')).toHaveLength(2);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
  });

  it('gives up and signs out when the refresh is refused', async () => {
    const api = mockApi({
      'GET /api/friends': () => problem(401, 'auth_required'),
      'POST /api/auth/refresh': () => problem(401, 'invalid_refresh_token'),
    });
    const error = await rejection(apiRequest('/friends'));
    expect(error.code).toBe('auth_required');
    expect(api.calls('GET /api/friends')).toHaveLength(1);
    expect(useSessionStore.getState().status).toBe('signed-out');
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });

  it('shares one refresh between concurrent 401s', async () => {
    const api = mockApi({
      'GET /api/friends': ({ headers }) =>
        headers.Authorization === 'Bearer new' ? json(200, {}) : problem(401, 'auth_required'),
      'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'new' })),
    });
    await Promise.all([apiRequest('/friends'), apiRequest('/friends'), apiRequest('/friends')]);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(api.calls('GET /api/friends')).toHaveLength(6);
  });

  it('does not refresh for a 401 about the credentials in the body', async () => {
    const api = mockApi({ 'POST /api/auth/password': () => problem(401, 'invalid_credentials') });
    const error = await rejection(apiRequest('/auth/password', { method: 'POST', body: {} }));
    expect(error.code).toBe('invalid_credentials');
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);
    expect(useSessionStore.getState().status).toBe('signed-in');
  });

  it('does not refresh for requests marked auth: false', async () => {
    const api = mockApi({ 'POST /api/auth/login': () => problem(401, 'invalid_credentials') });
    await rejection(apiRequest('/auth/login', { method: 'POST', body: {}, auth: false }));
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);
  });
});

describe('apiRequest: a token about to expire', () => {
  it('is refreshed before the request instead of after a 401', async () => {
    vi.useFakeTimers();
    try {
      const api = mockApi({
        'GET /api/friends': ({ headers }) =>
          headers.Authorization === 'Bearer new' ? json(200, {}) : problem(401, 'auth_required'),
        'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'new' })),
      });
      applySession(sessionBody({ accessToken: 'old', expiresIn: 900 }));
      // The tab slept: its timer never fired, and the token has expired.
      useSessionStore.setState({ expiresAt: Date.now() - 1_000 });
      await apiRequest('/friends');
      expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/auth/refresh', 'GET /api/friends']);
    } finally {
      vi.useRealTimers();
    }
  });
});
