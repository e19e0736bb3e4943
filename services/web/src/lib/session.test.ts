import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  applySession,
  endSession,
  REFRESH_LOCK_KEY,
  REFRESH_LOCK_TTL_MS,
  REFRESH_RETRY_MS,
  refreshDelay,
  refreshSession,
  SESSION_CHANNEL,
  signOut,
  startSession,
} from '@/lib/session';
import { initialSessionState, SESSION_HINT_KEY, useSessionStore } from '@/stores/session-store';
import { useToastStore } from '@/stores/toast-store';
import { json, mockApi, noContent, problem, sessionBody } from '@/testing/fetch-mock';

const state = () => useSessionStore.getState();

/** Lets pending promise callbacks run (fetch mocks resolve in microtasks). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('refreshDelay', () => {
  it('is 60 s before expiry', () => {
    expect(refreshDelay(900_000, 0)).toBe(840_000);
  });

  it('is half the lifetime for short-lived tokens', () => {
    expect(refreshDelay(60_000, 0)).toBe(30_000);
  });

  it('is never negative', () => {
    expect(refreshDelay(1_000, 5_000)).toBe(0);
  });
});

describe('session store', () => {
  it('starts signed out without the hint, unknown with it', () => {
    expect(initialSessionState().status).toBe('signed-out');
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    expect(initialSessionState().status).toBe('unknown');
  });

  it('holds the session in memory and sets only the hint flag in storage', () => {
    applySession(sessionBody({ accessToken: 'secret-token' }));
    expect(state()).toMatchObject({ status: 'signed-in', accessToken: 'secret-token', user: { username: 'ann' } });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
    expect(JSON.stringify({ ...window.localStorage })).not.toContain('secret-token');
  });

  it('forgets everything on endSession', () => {
    applySession(sessionBody());
    endSession();
    expect(state()).toMatchObject({ status: 'signed-out', accessToken: null, user: null, expiresAt: null });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });
});

describe('startSession', () => {
  it('makes no request and is signed out without the hint', () => {
    const api = mockApi({});
    useSessionStore.setState({ status: 'unknown' });
    startSession();
    expect(api.fetchMock).not.toHaveBeenCalled();
    expect(state().status).toBe('signed-out');
  });

  it('signs in silently with the refresh cookie when the hint is set', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    useSessionStore.setState(initialSessionState());
    const api = mockApi({ 'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'fresh' })) });
    startSession();
    expect(state().status).toBe('unknown');
    await vi.waitFor(() => {
      expect(state().status).toBe('signed-in');
    });
    expect(state().accessToken).toBe('fresh');
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
  });

  it('runs once however often it is called', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    const api = mockApi({ 'POST /api/auth/refresh': () => json(200, sessionBody()) });
    startSession();
    startSession();
    await vi.waitFor(() => {
      expect(state().status).toBe('signed-in');
    });
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
  });

  it('clears a stale hint when the cookie is refused, without a toast', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    useSessionStore.setState(initialSessionState());
    mockApi({ 'POST /api/auth/refresh': () => problem(401, 'invalid_refresh_token') });
    startSession();
    await vi.waitFor(() => {
      expect(state().status).toBe('signed-out');
    });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
    expect(useToastStore.getState().toasts).toEqual([]);
  });

  it('shows the app signed out but keeps the hint when the server is unreachable', async () => {
    window.localStorage.setItem(SESSION_HINT_KEY, '1');
    useSessionStore.setState(initialSessionState());
    mockApi({ 'POST /api/auth/refresh': () => new Response('down', { status: 503 }) });
    startSession();
    await vi.waitFor(() => {
      expect(state().status).toBe('signed-out');
    });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
  });
});

describe('refresh scheduling (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('refreshes 60 s before the access token expires, and again after that', async () => {
    let n = 0;
    const api = mockApi({
      'POST /api/auth/refresh': () => {
        n += 1;
        return json(200, sessionBody({ accessToken: `token-${n + 1}`, expiresIn: 900 }));
      },
    });
    applySession(sessionBody({ accessToken: 'token-1', expiresIn: 900 }));

    await vi.advanceTimersByTimeAsync(839_000);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(state().accessToken).toBe('token-2');

    await vi.advanceTimersByTimeAsync(840_000);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(2);
    expect(state().accessToken).toBe('token-3');
  });

  it('retries a failed scheduled refresh 30 s later while the token is still valid', async () => {
    let healthy = false;
    const api = mockApi({
      'POST /api/auth/refresh': () =>
        healthy ? json(200, sessionBody({ accessToken: 'later' })) : new Response(null, { status: 502 }),
    });
    applySession(sessionBody({ expiresIn: 900 }));
    await vi.advanceTimersByTimeAsync(840_000);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(state().status).toBe('signed-in');

    healthy = true;
    await vi.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(2);
    expect(state().accessToken).toBe('later');
  });

  it('ends the session with a notice when the scheduled refresh is refused', async () => {
    mockApi({ 'POST /api/auth/refresh': () => problem(401, 'invalid_refresh_token') });
    applySession(sessionBody({ expiresIn: 900 }));
    await vi.advanceTimersByTimeAsync(840_000);
    expect(state().status).toBe('signed-out');
    expect(useToastStore.getState().toasts.map((t) => t.title)).toEqual(['Your session ended']);
  });

  it('stops the timer on sign-out', async () => {
    const api = mockApi({ 'POST /api/auth/logout': () => noContent() });
    applySession(sessionBody({ accessToken: 'bye', expiresIn: 900 }));
    await signOut();
    await vi.advanceTimersByTimeAsync(900_000);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);
    expect(api.calls('POST /api/auth/logout')[0]?.headers.Authorization).toBe('Bearer bye');
    expect(state().status).toBe('signed-out');
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });

  it('waits while another tab holds the refresh lease, then refreshes', async () => {
    const api = mockApi({ 'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'mine' })) });
    applySession(sessionBody());
    window.localStorage.setItem(
      REFRESH_LOCK_KEY,
      JSON.stringify({ owner: 'other-tab', until: Date.now() + REFRESH_LOCK_TTL_MS }),
    );
    const done = refreshSession();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);

    window.localStorage.removeItem(REFRESH_LOCK_KEY);
    await vi.advanceTimersByTimeAsync(200);
    await expect(done).resolves.toBe(true);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(window.localStorage.getItem(REFRESH_LOCK_KEY)).toBeNull();
  });

  it('ignores a lease its holder never released once it has expired', async () => {
    const api = mockApi({ 'POST /api/auth/refresh': () => json(200, sessionBody()) });
    applySession(sessionBody());
    window.localStorage.setItem(REFRESH_LOCK_KEY, JSON.stringify({ owner: 'gone-tab', until: Date.now() + 2_000 }));
    const done = refreshSession();
    await vi.advanceTimersByTimeAsync(2_100);
    await expect(done).resolves.toBe(true);
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(1);
  });
});

describe('tabs', () => {
  it('adopts a session another tab refreshed instead of refreshing again', async () => {
    const api = mockApi({ 'POST /api/auth/refresh': () => json(200, sessionBody({ accessToken: 'mine' })) });
    startSession();
    applySession(sessionBody({ accessToken: 'old' }));
    window.localStorage.setItem(REFRESH_LOCK_KEY, JSON.stringify({ owner: 'other-tab', until: Date.now() + 5_000 }));
    const waiting = refreshSession();

    const otherTab = new BroadcastChannel(SESSION_CHANNEL);
    otherTab.postMessage({
      type: 'session',
      from: 'other-tab',
      session: { user: sessionBody().user, accessToken: 'from-other-tab', expiresAt: Date.now() + 900_000 },
    });
    await expect(waiting).resolves.toBe(true);
    otherTab.close();
    expect(state().accessToken).toBe('from-other-tab');
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);
  });

  it('signs out when another tab signs out', async () => {
    startSession();
    applySession(sessionBody());
    const otherTab = new BroadcastChannel(SESSION_CHANNEL);
    otherTab.postMessage({ type: 'signed-out', from: 'other-tab' });
    await vi.waitFor(() => {
      expect(state().status).toBe('signed-out');
    });
    otherTab.close();
    await flush();
    expect(useToastStore.getState().toasts.map((t) => t.title)).toEqual(['Signed out']);
  });

  it('tells the other tabs about a new session', async () => {
    startSession();
    const otherTab = new BroadcastChannel(SESSION_CHANNEL);
    const received: unknown[] = [];
    otherTab.onmessage = (event: MessageEvent) => {
      received.push(event.data);
    };
    applySession(sessionBody({ accessToken: 'shared' }));
    await vi.waitFor(() => {
      expect(received).toHaveLength(1);
    });
    otherTab.close();
    expect(received[0]).toMatchObject({ type: 'session', session: { accessToken: 'shared' } });
  });
});
