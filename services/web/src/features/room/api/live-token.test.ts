import { beforeEach, describe, expect, it } from 'vitest';

import { readGuestSession, saveGuestSession } from '@/features/room/lib/guest-session';
import { applySession } from '@/lib/session';
import { useSessionStore } from '@/stores/session-store';
import { json, mockApi, problem, sessionBody } from '@/testing/fetch-mock';

import { liveSocketToken, liveSocketUserId } from './live-token';

const CODE = 'K7QX2MPA';

beforeEach(() => {
  window.sessionStorage.clear();
});

describe('liveSocketToken', () => {
  it('says hello as the guest of this room when the tab holds its guest token', async () => {
    applySession(sessionBody({ accessToken: 'ann-token' }));
    saveGuestSession(CODE, 'guest:m_kim:0', 3600, 'm_kim');
    await expect(liveSocketToken(CODE, { refresh: false })).resolves.toBe('guest:m_kim:0');
  });

  it('else as the signed-in user', async () => {
    applySession(sessionBody({ accessToken: 'ann-token' }));
    await expect(liveSocketToken(CODE, { refresh: false })).resolves.toBe('ann-token');
  });

  it('is null for nobody', async () => {
    await expect(liveSocketToken(CODE, { refresh: false })).resolves.toBeNull();
  });

  it('renews the guest token when asked to refresh, and gives up when the renewal is refused', async () => {
    saveGuestSession(CODE, 'guest:m_kim:0', 3600, 'm_kim');
    let refused = false;
    const api = mockApi({
      [`POST /api/rooms/${CODE}/guest-token`]: () =>
        refused ? problem(401, 'auth_required') : json(200, { guestToken: 'guest:m_kim:1', guestTokenExpiresIn: 3600 }),
    });
    await expect(liveSocketToken(CODE, { refresh: true })).resolves.toBe('guest:m_kim:1');
    expect(api.calls(`POST /api/rooms/${CODE}/guest-token`)[0]?.headers.Authorization).toBe('Bearer guest:m_kim:0');

    refused = true;
    await expect(liveSocketToken(CODE, { refresh: true })).resolves.toBeNull();
    expect(readGuestSession(CODE)?.token).toBe('guest:m_kim:1');
  });

  it('refreshes the session when asked to, and is null once it is over', async () => {
    applySession(sessionBody({ accessToken: 'old-token' }));
    let refused = false;
    mockApi({
      'POST /api/auth/refresh': () =>
        refused ? problem(401, 'auth_required') : json(200, sessionBody({ accessToken: 'new-token' })),
    });
    await expect(liveSocketToken(CODE, { refresh: true })).resolves.toBe('new-token');
    expect(useSessionStore.getState().accessToken).toBe('new-token');

    refused = true;
    await expect(liveSocketToken(CODE, { refresh: true })).resolves.toBeNull();
  });
});

describe('liveSocketUserId', () => {
  it('is the signed-in user, unless the tab is a guest in this room (or nobody is signed in)', () => {
    expect(liveSocketUserId(CODE, 'u_ann')).toBe('u_ann');
    expect(liveSocketUserId(CODE, null)).toBeNull();
    saveGuestSession(CODE, 'guest:m_kim:0', 3600, 'm_kim');
    expect(liveSocketUserId(CODE, 'u_ann')).toBeNull();
    expect(liveSocketUserId('ZZZZ2222', 'u_ann')).toBe('u_ann');
  });
});
