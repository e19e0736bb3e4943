import { afterEach, describe, expect, it } from 'vitest';

import {
  GUEST_TOKEN_RENEW_BEFORE_MS,
  clearGuestSession,
  guestTokenNeedsRenewal,
  readGuestSession,
  saveGuestSession,
} from '@/features/room/lib/guest-session';

afterEach(() => {
  window.sessionStorage.clear();
});

describe('guest sessions', () => {
  it('are kept per room until they expire', () => {
    saveGuestSession('K7QX2MPA', 'tok', 3600, 'm_kim', 1_000);
    expect(readGuestSession('K7QX2MPA', 2_000)).toEqual({ token: 'tok', expiresAt: 3_601_000, memberId: 'm_kim' });
    expect(readGuestSession('ABCDEFGH', 2_000)).toBeNull();
    expect(readGuestSession('K7QX2MPA', 3_601_000)).toBeNull();
    // An expired session is dropped.
    expect(window.sessionStorage.getItem('sw_guest:K7QX2MPA')).toBeNull();
  });

  it('ignore what is not a session', () => {
    window.sessionStorage.setItem('sw_guest:K7QX2MPA', '{"token":1}');
    expect(readGuestSession('K7QX2MPA')).toBeNull();
    window.sessionStorage.setItem('sw_guest:K7QX2MPA', 'not json');
    expect(readGuestSession('K7QX2MPA')).toBeNull();
  });

  it('can be cleared', () => {
    saveGuestSession('K7QX2MPA', 'tok', 3600, 'm_kim');
    clearGuestSession('K7QX2MPA');
    expect(readGuestSession('K7QX2MPA')).toBeNull();
  });
});

describe('guestTokenNeedsRenewal', () => {
  it('is true with less than five minutes left', () => {
    const now = 10_000_000;
    const session = (left: number) => ({ token: 't', memberId: 'm', expiresAt: now + left });
    expect(guestTokenNeedsRenewal(session(GUEST_TOKEN_RENEW_BEFORE_MS + 1), now)).toBe(false);
    expect(guestTokenNeedsRenewal(session(GUEST_TOKEN_RENEW_BEFORE_MS - 1), now)).toBe(true);
    expect(guestTokenNeedsRenewal(null, now)).toBe(false);
  });
});
