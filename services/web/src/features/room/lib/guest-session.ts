/**
 * A guest's identity in one room: the guest token from joining, kept in sessionStorage under
 * `sw_guest:<CODE>` so a reload in the same tab stays the same guest, and a new tab (or another
 * browser) is a new visitor. Nothing of it is readable by other origins.
 */

export interface GuestSession {
  token: string;
  /** Epoch milliseconds at which the token expires. */
  expiresAt: number;
  memberId: string;
}

const key = (code: string) => `sw_guest:${code}`;

function isGuestSession(value: unknown): value is GuestSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.token === 'string' && typeof v.expiresAt === 'number' && typeof v.memberId === 'string';
}

/** The stored session for the room, or null when there is none or it has expired. */
export function readGuestSession(code: string, now: number = Date.now()): GuestSession | null {
  let raw: string | null;
  try {
    raw = window.sessionStorage.getItem(key(code));
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isGuestSession(parsed) || parsed.expiresAt <= now) {
      clearGuestSession(code);
      return null;
    }
    return parsed;
  } catch {
    clearGuestSession(code);
    return null;
  }
}

export function saveGuestSession(code: string, token: string, expiresInSeconds: number, memberId: string, now: number = Date.now()): void {
  const session: GuestSession = { token, expiresAt: now + expiresInSeconds * 1000, memberId };
  try {
    window.sessionStorage.setItem(key(code), JSON.stringify(session));
  } catch {
    // Storage full or disabled: the guest stays joined for this page's life only.
  }
}

export function clearGuestSession(code: string): void {
  try {
    window.sessionStorage.removeItem(key(code));
  } catch {
    // Nothing stored.
  }
}

/** Renew a guest token when less than this is left of it. */
export const GUEST_TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/** True when the session's token should be renewed now (less than five minutes left). */
export function guestTokenNeedsRenewal(session: GuestSession | null, now: number = Date.now()): boolean {
  return session !== null && session.expiresAt - now < GUEST_TOKEN_RENEW_BEFORE_MS;
}
