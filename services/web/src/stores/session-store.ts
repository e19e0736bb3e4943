import { create } from 'zustand';

import type { User } from '@/lib/auth-types';

/**
 * `unknown` until the app knows (a silent refresh is in flight), then `signed-in` or `signed-out`.
 */
export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

/**
 * localStorage flag "a session probably exists". Not a secret and not proof of anything: it
 * only decides whether the app tries the silent refresh on start, so that a signed-out visit
 * makes no request that would fail (and log a console error). The refresh token itself is the
 * HttpOnly cookie `sw_refresh`, which JavaScript never reads.
 */
export const SESSION_HINT_KEY = 'sw_session';

export function readSessionHint(): boolean {
  try {
    return window.localStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return false;
  }
}

export function writeSessionHint(present: boolean): void {
  try {
    if (present) window.localStorage.setItem(SESSION_HINT_KEY, '1');
    else window.localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage disabled: the app then simply does not sign in silently on the next visit.
  }
}

export interface ActiveSession {
  user: User;
  accessToken: string;
  /** Epoch milliseconds when the access token stops being valid. */
  expiresAt: number;
}

export interface SessionState {
  user: User | null;
  /** Kept in memory only: never written to storage. */
  accessToken: string | null;
  expiresAt: number | null;
  status: SessionStatus;
  setSession: (session: ActiveSession) => void;
  /** Forgets the session: signed out. */
  clear: () => void;
}

const signedOut = { user: null, accessToken: null, expiresAt: null, status: 'signed-out' } as const;

/** The state a page load starts in: unknown while a silent sign-in may follow, else signed out. */
export function initialSessionState(): Pick<SessionState, 'user' | 'accessToken' | 'expiresAt' | 'status'> {
  return { ...signedOut, status: readSessionHint() ? 'unknown' : 'signed-out' };
}

/**
 * Who is signed in. Plain state: the session lifecycle (refresh, scheduling, tabs, sign-out)
 * is in `src/lib/session.ts`, which is what changes it.
 */
export const useSessionStore = create<SessionState>()((set) => ({
  ...initialSessionState(),
  setSession: ({ user, accessToken, expiresAt }) => {
    set({ user, accessToken, expiresAt, status: 'signed-in' });
  },
  clear: () => {
    set(signedOut);
  },
}));
