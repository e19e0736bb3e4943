import type { SessionResponse } from '@/lib/auth-types';
import { ApiError, send } from '@/lib/http';
import { readSessionHint, useSessionStore, writeSessionHint, type ActiveSession } from '@/stores/session-store';
import { toast } from '@/stores/toast-store';

/**
 * The session lifecycle: silent sign-in on start, a refresh shortly before the access token
 * expires, one shared refresh for the 401s of concurrent calls, sign-out, and keeping the tabs
 * of one browser in step.
 *
 * - The access token lives in the session store (memory) only; the refresh token is the HttpOnly
 *   `sw_refresh` cookie that `POST /api/auth/refresh` reads and rotates.
 * - Tabs: a tab that refreshes holds a short localStorage lease (`sw_refresh_lock`); another tab
 *   that wants to refresh meanwhile waits for it instead of sending the same cookie at the same
 *   moment. The new session is then shared over a BroadcastChannel, so other tabs adopt it and
 *   push their own timers back. Sign-out is shared the same way. The server's 10 s grace for the
 *   predecessor token covers what the lease cannot (two tabs reading a free lease at once).
 */

/** Refresh this many seconds before the access token expires (at most half its lifetime). */
export const REFRESH_LEAD_S = 60;
/** After a failed scheduled refresh (network, 5xx), try again this much later. */
export const REFRESH_RETRY_MS = 30_000;
export const REFRESH_LOCK_KEY = 'sw_refresh_lock';
/** How long a refresh lease is honoured: past it the tab holding it is presumed gone. */
export const REFRESH_LOCK_TTL_MS = 10_000;
/** How long a tab waits for another tab's refresh before it refreshes anyway. */
export const REFRESH_LOCK_WAIT_MS = 8_000;
const REFRESH_LOCK_POLL_MS = 100;
export const SESSION_CHANNEL = 'syncwatch.session';

type SessionMessage =
  | { type: 'session'; from: string; session: ActiveSession }
  | { type: 'signed-out'; from: string };

const tabId =
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

let started = false;
let channel: BroadcastChannel | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;
/** Bumps on every session change, in this tab or adopted from another. */
let version = 0;

const store = () => useSessionStore.getState();

function broadcast(message: SessionMessage): void {
  try {
    channel?.postMessage(message);
  } catch {
    // A closed channel (page going away): the other tabs catch up on their own next refresh.
  }
}

function clearRefreshTimer(): void {
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
}

function scheduleRefreshIn(delayMs: number): void {
  clearRefreshTimer();
  refreshTimer = setTimeout(
    () => {
      refreshTimer = undefined;
      void refreshSession();
    },
    Math.max(0, delayMs),
  );
}

/** When the refresh for a token expiring at `expiresAt` is due, in ms from `now`. */
export function refreshDelay(expiresAt: number, now: number = Date.now()): number {
  const lifetime = expiresAt - now;
  const lead = Math.min(REFRESH_LEAD_S * 1000, lifetime / 2);
  return Math.max(0, lifetime - lead);
}

function adopt(session: ActiveSession): void {
  version += 1;
  store().setSession(session);
  writeSessionHint(true);
  scheduleRefreshIn(refreshDelay(session.expiresAt));
}

/**
 * Stores a session answer (register, login, refresh, password change): the store, the hint
 * flag, the refresh timer, and the other tabs.
 */
export function applySession(response: SessionResponse): void {
  const session: ActiveSession = {
    user: response.user,
    accessToken: response.accessToken,
    expiresAt: Date.now() + response.expiresIn * 1000,
  };
  adopt(session);
  broadcast({ type: 'session', from: tabId, session });
}

interface EndOptions {
  /** Tell the other tabs (not when the news came from one of them). */
  broadcast?: boolean;
  /** Toast shown if someone was signed in. */
  notice?: { title: string; description?: string };
}

/** Forgets the session locally: store, hint, timer. */
export function endSession({ broadcast: tell = true, notice }: EndOptions = {}): void {
  const wasSignedIn = store().status === 'signed-in';
  version += 1;
  clearRefreshTimer();
  store().clear();
  writeSessionHint(false);
  if (tell) broadcast({ type: 'signed-out', from: tabId });
  if (wasSignedIn && notice) toast.info(notice.title, notice.description);
}

interface RefreshLock {
  owner: string;
  until: number;
}

function readLock(): RefreshLock | null {
  try {
    const raw = window.localStorage.getItem(REFRESH_LOCK_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<RefreshLock>;
    return typeof parsed.owner === 'string' && typeof parsed.until === 'number'
      ? { owner: parsed.owner, until: parsed.until }
      : null;
  } catch {
    return null;
  }
}

function writeLock(lock: RefreshLock | null): void {
  try {
    if (lock === null) window.localStorage.removeItem(REFRESH_LOCK_KEY);
    else window.localStorage.setItem(REFRESH_LOCK_KEY, JSON.stringify(lock));
  } catch {
    // No storage, no lease: the server's overlap grace is what remains.
  }
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Runs `fn` holding the refresh lease. Waits (up to {@link REFRESH_LOCK_WAIT_MS}) while another
 * tab holds a live one, and stops waiting early when `settled()` says a session arrived.
 */
async function withRefreshLock<T>(settled: () => boolean, fn: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + REFRESH_LOCK_WAIT_MS;
  for (;;) {
    const lock = readLock();
    const free = lock === null || lock.owner === tabId || lock.until <= Date.now();
    if (free || settled() || Date.now() >= giveUpAt) break;
    await sleep(REFRESH_LOCK_POLL_MS);
  }
  writeLock({ owner: tabId, until: Date.now() + REFRESH_LOCK_TTL_MS });
  try {
    return await fn();
  } finally {
    if (readLock()?.owner === tabId) writeLock(null);
  }
}

/** True when the refresh token was refused: the session is over. Anything else may pass. */
function isSessionRefused(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

async function runRefresh(): Promise<boolean> {
  const seen = version;
  return withRefreshLock(
    () => version !== seen,
    async () => {
      // Another tab refreshed (or signed out) while this one waited: take its word for it.
      if (version !== seen) return store().status === 'signed-in';
      try {
        applySession(await send<SessionResponse>('/auth/refresh', { method: 'POST', body: {} }));
        return true;
      } catch (error) {
        if (isSessionRefused(error)) {
          endSession({ notice: { title: 'Your session ended', description: 'Log in again to continue.' } });
          return false;
        }
        // Network or server trouble: keep a still-valid session and try again later; on start,
        // show the app signed out but keep the hint so the next visit tries again.
        const { status, expiresAt } = store();
        if (status === 'unknown') {
          useSessionStore.setState({ status: 'signed-out' });
        } else if (status === 'signed-in' && expiresAt !== null && expiresAt > Date.now()) {
          scheduleRefreshIn(Math.min(REFRESH_RETRY_MS, Math.max(0, expiresAt - Date.now() - 1000)));
        }
        return false;
      }
    },
  );
}

/**
 * Exchanges the refresh cookie for a new session. Concurrent callers in this tab share one
 * request. Resolves true when a session is in place afterwards.
 */
export function refreshSession(): Promise<boolean> {
  inflight ??= runRefresh().finally(() => {
    inflight = null;
  });
  return inflight;
}

/** A token this close to expiry is refreshed before it is sent rather than after its 401. */
export const TOKEN_MIN_VALIDITY_MS = 5_000;

/**
 * The access token to send now: waits for a refresh already in flight, and refreshes first when
 * the token has (nearly) expired, e.g. in a tab whose timers were throttled in the background.
 */
export async function freshAccessToken(): Promise<string | null> {
  if (inflight !== null) await inflight;
  const { status, expiresAt } = store();
  if (status === 'signed-in' && expiresAt !== null && expiresAt - Date.now() < TOKEN_MIN_VALIDITY_MS) {
    await refreshSession();
  }
  return store().accessToken;
}

/**
 * Ends the session on the server (`POST /api/auth/logout`, which clears the cookie and stops the
 * access token) and here, in every tab. Local sign-out happens even if the server cannot be reached.
 */
export async function signOut(): Promise<void> {
  const token = store().accessToken;
  try {
    await send<null>('/auth/logout', { method: 'POST', body: {}, token });
  } catch {
    // The local session goes regardless; a server that missed this expires the token itself.
  } finally {
    endSession();
  }
}

function onMessage(event: MessageEvent<SessionMessage>): void {
  const message = event.data;
  if (message.from === tabId) return;
  if (message.type === 'session') {
    adopt(message.session);
  } else if (store().status !== 'signed-out') {
    endSession({ broadcast: false, notice: { title: 'Signed out', description: 'You signed out in another tab.' } });
  }
}

/** A tab coming back after its timers were throttled refreshes at once if its token is (nearly) stale. */
function onVisibilityChange(): void {
  if (document.visibilityState !== 'visible') return;
  const { status, expiresAt } = store();
  if (status === 'signed-in' && expiresAt !== null && refreshDelay(expiresAt) === 0) void refreshSession();
}

/**
 * Call once on app start: listens to the other tabs and, when the hint flag says a session
 * probably exists, signs in silently with the refresh cookie. Without the flag no request is
 * made and the app is signed out. Calling it again does nothing.
 */
export function startSession(): void {
  if (started) return;
  started = true;
  if (typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(SESSION_CHANNEL);
    channel.onmessage = onMessage;
  }
  document.addEventListener('visibilitychange', onVisibilityChange);
  if (readSessionHint()) void refreshSession();
  else if (store().status === 'unknown') useSessionStore.setState({ status: 'signed-out' });
}

/** Undoes {@link startSession} and forgets module state; for tests. */
export function stopSession(): void {
  started = false;
  channel?.close();
  channel = null;
  document.removeEventListener('visibilitychange', onVisibilityChange);
  clearRefreshTimer();
  inflight = null;
}
