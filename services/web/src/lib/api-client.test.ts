import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, apiRequest } from '@/lib/api-client';

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

describe('apiRequest', () => {
  it('sends JSON to the API base and returns the parsed body', async () => {
    const fetchMock = stubFetch(
      new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    await expect(apiRequest('/auth/login', { method: 'POST', body: { a: 1 } })).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({ method: 'POST', body: '{"a":1}' }),
    );
  });

  it('turns a problem-details response into an ApiError with its detail', async () => {
    stubFetch(
      new Response(JSON.stringify({ title: 'Invalid credentials', status: 401, detail: 'Wrong email or password.' }), {
        status: 401,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    const error = await rejection(apiRequest('/auth/login', { method: 'POST', body: {} }));
    expect(error.status).toBe(401);
    expect(error.userMessage).toBe('Wrong email or password.');
    expect(error.isServiceUnavailable).toBe(false);
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

  it.each([404, 500, 502, 503])('marks %i as service unavailable', async (status) => {
    stubFetch(new Response('nope', { status, headers: { 'content-type': 'text/plain' } }));
    const error = await rejection(apiRequest('/x'));
    expect(error.status).toBe(status);
    expect(error.problem).toBeNull();
    expect(error.isServiceUnavailable).toBe(true);
  });

  it('marks a failed connection as service unavailable', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = await rejection(apiRequest('/x'));
    expect(error.status).toBe(0);
    expect(error.isServiceUnavailable).toBe(true);
  });
});
