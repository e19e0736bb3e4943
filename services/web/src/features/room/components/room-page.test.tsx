import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import { RoomPage } from '@/features/room/components/room-page';
import type { LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { ROOM_POLL_MS } from '@/features/room/hooks/use-room-membership';
import { readGuestSession, saveGuestSession } from '@/features/room/lib/guest-session';
import type { InvitableFriend } from '@/features/room/lib/invites';
import { ann, bob, cleo, guestMember, userMember } from '@/features/room/testing/fixtures';
import { roomBackend } from '@/features/room/testing/room-backend';
import { apiRequest } from '@/lib/api-client';
import { applySession } from '@/lib/session';
import { useToastStore } from '@/stores/toast-store';
import { json, problem, sessionBody, testUser } from '@/testing/fetch-mock';

const CODE = 'K7QX2MPA';
const ROOM = `/api/rooms/${CODE}`;

const loadFriends: LoadFriends = async (signal) =>
  (await apiRequest<{ friends: InvitableFriend[] }>('/friends', { signal })).friends;

function renderRoom() {
  const router = createMemoryRouter(
    [
      {
        path: '/r/:code',
        element: (
          <>
            <RoomPage code={CODE} loginPath={`/login?next=/r/${CODE}`} loadFriends={loadFriends} />
            <Toaster />
          </>
        ),
      },
      { path: '/', element: <h1>Home</h1> },
    ],
    { initialEntries: [`/r/${CODE}`] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

const owner = userMember('m_ann', ann, { role: 'owner', joinedAt: '2026-11-23T20:00:00Z' });
const bobM = userMember('m_bob', bob, { joinedAt: '2026-11-23T20:05:00Z' });
const cleoM = userMember('m_cleo', cleo, { joinedAt: '2026-11-23T20:07:00Z' });
const kim = guestMember('m_kim', 'Kim', { joinedAt: '2026-11-23T20:06:00Z' });

const signInAs = (username: string): void => {
  applySession(sessionBody({ accessToken: `${username}-token`, user: { ...testUser, id: `u_${username}`, username } }));
};

const participants = () => screen.queryAllByTestId('participant').map((row) => row.getAttribute('data-member-id'));
const rowOf = (memberId: string): HTMLElement => {
  const row = screen.getAllByTestId('participant').find((entry) => entry.getAttribute('data-member-id') === memberId);
  if (row === undefined) throw new Error(`no row for ${memberId}`);
  return row;
};

beforeEach(() => {
  useToastStore.getState().clearToasts();
  window.sessionStorage.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomPage lobby', () => {
  it('shows the room and lets a signed-out visitor sign in or join as a guest', async () => {
    const api = roomBackend({ members: [owner, bobM], password: 'popcorn' });
    renderRoom();
    expect(await screen.findByRole('heading', { level: 1, name: 'Friday film' })).toBeInTheDocument();
    expect(screen.getByTestId('room-owner')).toHaveTextContent('ann');
    expect(screen.getByTestId('room-seats')).toHaveTextContent('2 of 5 seats taken');
    expect(screen.getByTestId('room-has-password')).toHaveTextContent('Password');
    expect(screen.getByRole('link', { name: 'Sign in to join' })).toHaveAttribute('href', `/login?next=/r/${CODE}`);
    expect(screen.getByTestId('guest-name')).toHaveAccessibleName('Your name');
    expect(screen.getByTestId('room-password')).toHaveAccessibleName('Room password');
    // Nobody to ask the membership as: only the public summary was read.
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET ${ROOM}`]);
  });

  it('joins a guest after the room asks for a password, and a wrong one is refused inline', async () => {
    const api = roomBackend({ members: [owner], password: 'popcorn' });
    // The summary was read before the owner set the password.
    api.override(`GET ${ROOM}`, () => json(200, { room: { ...api.room, hasPassword: false } }));
    const user = userEvent.setup();
    renderRoom();
    await user.type(await screen.findByTestId('guest-name'), '  Kim ');
    expect(screen.queryByTestId('room-password')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('join-room'));

    const password = await screen.findByTestId('room-password');
    await waitFor(() => {
      expect(password).toHaveFocus();
    });
    expect(password).toHaveAccessibleDescription(/This room has a password/);
    expect(api.calls(`POST ${ROOM}/join`)[0]?.body).toEqual({ guestName: 'Kim' });
    expect(api.calls(`POST ${ROOM}/join`)[0]?.headers.Authorization).toBeUndefined();

    await user.type(password, 'butter');
    await user.click(screen.getByTestId('join-room'));
    expect(await screen.findByText('That password is not right.')).toBeInTheDocument();

    await user.clear(password);
    await user.type(password, 'popcorn');
    await user.click(screen.getByTestId('join-room'));
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_guest1']);
    });
    expect(api.calls(`POST ${ROOM}/join`)[2]?.body).toEqual({ guestName: 'Kim', password: 'popcorn' });
    const me = rowOf('m_guest1');
    expect(within(me).getByText('(You)')).toBeInTheDocument();
    expect(within(me).getByText('Guest')).toBeInTheDocument();
    expect(readGuestSession(CODE)?.memberId).toBe('m_guest1');
    // Later calls go as the guest.
    await act(async () => {
      window.dispatchEvent(new Event('focus'));
      await Promise.resolve();
    });
    await waitFor(() => {
      expect(api.calls(`GET ${ROOM}/members`).at(-1)?.headers.Authorization).toBe('Bearer guest:m_guest1:1');
    });
  });

  it('shows the server’s message on the guest name, and a rate limit above the form', async () => {
    const api = roomBackend({ members: [owner] });
    const user = userEvent.setup();
    renderRoom();
    const name = await screen.findByTestId('guest-name');
    await user.click(screen.getByTestId('join-room'));
    expect(name).toHaveAccessibleDescription(/Enter the name the others will see/);
    expect(api.calls(`POST ${ROOM}/join`)).toHaveLength(0);

    api.override(`POST ${ROOM}/join`, () =>
      problem(400, 'invalid_request', { errors: [{ field: 'guestName', message: 'that name is taken here' }] }),
    );
    await user.type(name, 'Kim');
    await user.click(screen.getByTestId('join-room'));
    await waitFor(() => {
      expect(name).toHaveAccessibleDescription(/that name is taken here/);
    });

    api.override(`POST ${ROOM}/join`, () => problem(429, 'rate_limited', { retryAfter: 42 }, { 'Retry-After': '42' }));
    await user.click(screen.getByTestId('join-room'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 42 s.');
  });

  it('joins a signed-in visitor as themselves', async () => {
    signInAs('bob');
    const api = roomBackend({ members: [owner] });
    const user = userEvent.setup();
    renderRoom();
    expect(await screen.findByText(/You join as/)).toHaveTextContent('You join as bob.');
    expect(screen.queryByTestId('guest-name')).not.toBeInTheDocument();
    // Not in the room (by the list of bob's rooms): no member read that would answer 403.
    expect(api.calls('GET /api/rooms')).toHaveLength(1);
    expect(api.calls(`GET ${ROOM}/members`)).toHaveLength(0);
    await user.click(screen.getByTestId('join-room'));
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_bob']);
    });
    const join = api.calls(`POST ${ROOM}/join`)[0];
    expect(join?.headers.Authorization).toBe('Bearer bob-token');
    expect(join?.body).toEqual({});
  });

  it('goes straight to the room for a member', async () => {
    signInAs('ann');
    roomBackend({ members: [owner, bobM] });
    renderRoom();
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_bob']);
    });
    expect(screen.queryByTestId('join-room')).not.toBeInTheDocument();
    expect(screen.getByTestId('room-name')).toHaveTextContent('Friday film');
    expect(screen.getByTestId('room-code')).toHaveTextContent(CODE);
    expect(screen.getByText('Nothing is playing yet')).toBeInTheDocument();
    expect(within(rowOf('m_ann')).getByText('Owner')).toBeInTheDocument();
    expect(within(rowOf('m_ann')).getByTestId('can-control')).toHaveAccessibleName('Can control playback');
  });

  it('shows the full state with the seats, and gets in on a retry once a seat is free', async () => {
    const api = roomBackend({ room: { maxParticipants: 2 }, members: [owner, bobM] });
    const user = userEvent.setup();
    renderRoom();
    await user.type(await screen.findByTestId('guest-name'), 'Kim');
    await user.click(screen.getByTestId('join-room'));

    const state = await screen.findByTestId('room-state');
    expect(state).toHaveAttribute('data-state', 'full');
    expect(within(state).getByRole('heading', { name: 'This room is full' })).toBeInTheDocument();
    await waitFor(() => {
      expect(within(state).getByTestId('room-seats')).toHaveTextContent('2 of 2 seats taken');
    });
    expect(within(state).getByRole('link', { name: 'Back to home' })).toHaveAttribute('href', '/');

    await user.click(within(state).getByTestId('room-retry'));
    await waitFor(() => {
      expect(api.calls(`POST ${ROOM}/join`)).toHaveLength(2);
    });
    expect(screen.getByTestId('room-state')).toHaveAttribute('data-state', 'full');

    api.remove('m_bob', { kind: 'kicked', reason: '' });
    await user.click(screen.getByTestId('room-retry'));
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_guest1']);
    });
    expect(api.calls(`POST ${ROOM}/join`)[2]?.body).toEqual({ guestName: 'Kim' });
  });

  it('says when you are banned, with the reason', async () => {
    signInAs('bob');
    const api = roomBackend({ members: [owner] });
    api.override(`POST ${ROOM}/join`, () => problem(403, 'banned', { reason: 'Spam links' }));
    const user = userEvent.setup();
    renderRoom();
    await user.click(await screen.findByTestId('join-room'));
    const state = await screen.findByTestId('room-state');
    expect(state).toHaveAttribute('data-state', 'banned');
    expect(within(state).getByRole('heading', { name: 'You are banned from this room' })).toBeInTheDocument();
    expect(within(state).getByTestId('removal-reason')).toHaveTextContent('Reason: Spam links');
  });

  it.each([
    ['room_not_found', 'not-found', 'No room with this code'],
    ['room_expired', 'expired', 'This room has expired'],
    ['room_ended', 'ended', 'The owner ended this room'],
  ])('answers 404 %s with the %s state', async (code, state, heading) => {
    roomBackend().end(code);
    renderRoom();
    const card = await screen.findByTestId('room-state');
    expect(card).toHaveAttribute('data-state', state);
    expect(within(card).getByRole('heading', { level: 1, name: heading })).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: 'Back to home' })).toBeInTheDocument();
  });

  it('offers a retry when the room service is unreachable', async () => {
    const api = roomBackend({ members: [owner] });
    api.override(`GET ${ROOM}`, () => new Response(null, { status: 503 }));
    const user = userEvent.setup();
    renderRoom();
    const card = await screen.findByTestId('room-state');
    expect(card).toHaveAttribute('data-state', 'unavailable');
    api.override(`GET ${ROOM}`, () => json(200, { room: api.room }));
    await user.click(within(card).getByTestId('room-retry'));
    expect(await screen.findByTestId('guest-name')).toBeInTheDocument();
  });
});

describe('RoomPage live updates', () => {
  it('shows the kicked state with the owner’s reason, forgets the guest, and can join again', async () => {
    saveGuestSession(CODE, 'guest:m_kim:0', 3600, 'm_kim');
    const api = roomBackend({ members: [owner, kim] });
    const user = userEvent.setup();
    renderRoom();
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_kim']);
    });
    expect(api.calls(`GET ${ROOM}/members`)[0]?.headers.Authorization).toBe('Bearer guest:m_kim:0');

    api.remove('m_kim', { kind: 'kicked', reason: 'Please keep the chat friendly' });
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    const state = await screen.findByTestId('room-state');
    expect(state).toHaveAttribute('data-state', 'kicked');
    expect(within(state).getByRole('heading', { name: 'The owner removed you from the room' })).toHaveFocus();
    expect(within(state).getByTestId('removal-reason')).toHaveTextContent('Reason: Please keep the chat friendly');
    expect(readGuestSession(CODE)).toBeNull();

    await user.click(within(state).getByTestId('join-again'));
    expect(await screen.findByTestId('guest-name')).toBeInTheDocument();
  });

  it('leaves the reason out when the owner gave none', async () => {
    saveGuestSession(CODE, 'guest:m_kim:0', 3600, 'm_kim');
    const api = roomBackend({ members: [owner, kim] });
    renderRoom();
    await waitFor(() => {
      expect(participants()).toHaveLength(2);
    });
    api.remove('m_kim', { kind: 'kicked', reason: '' });
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    expect(await screen.findByTestId('room-state')).toHaveAttribute('data-state', 'kicked');
    expect(screen.queryByTestId('removal-reason')).not.toBeInTheDocument();
  });

  it('shows the ended state when the room ends under you', async () => {
    signInAs('bob');
    const api = roomBackend({ members: [owner, bobM] });
    renderRoom();
    await waitFor(() => {
      expect(participants()).toHaveLength(2);
    });
    api.end();
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    expect(await screen.findByTestId('room-state')).toHaveAttribute('data-state', 'ended');
  });

  it('polls every 3 s while visible, not while hidden, and renews a guest token that is running out', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    // Four minutes left: renewed before the first read.
    saveGuestSession(CODE, 'guest:m_kim:0', 240, 'm_kim');
    const api = roomBackend({ members: [owner, kim] });
    renderRoom();
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_kim']);
    });
    expect(api.calls(`POST ${ROOM}/guest-token`)).toHaveLength(1);
    expect(api.calls(`GET ${ROOM}/members`)[0]?.headers.Authorization).toBe('Bearer guest:m_kim:1');
    expect(readGuestSession(CODE)?.token).toBe('guest:m_kim:1');

    api.add(bobM);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ROOM_POLL_MS);
    });
    expect(api.calls(`GET ${ROOM}/members`)).toHaveLength(2);
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_bob', 'm_kim']);
    });
    // The fresh token has an hour left: no renewal on this poll.
    expect(api.calls(`POST ${ROOM}/guest-token`)).toHaveLength(1);

    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ROOM_POLL_MS * 3);
    });
    expect(api.calls(`GET ${ROOM}/members`)).toHaveLength(2);

    visibility.mockReturnValue('visible');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => {
      expect(api.calls(`GET ${ROOM}/members`)).toHaveLength(3);
    });
    visibility.mockRestore();
  });
});

describe('RoomPage owner tools', () => {
  const menuItems = () => screen.getAllByRole('menuitem').map((item) => item.textContent);

  it('offers each member the actions that fit, and each calls its endpoint', async () => {
    signInAs('ann');
    const api = roomBackend({
      room: { playbackControl: 'selected', handover: { enabled: true, order: 'explicit_delegate' } },
      members: [owner, bobM, kim],
    });
    const user = userEvent.setup();
    renderRoom();
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_bob', 'm_kim']);
    });
    expect(within(rowOf('m_ann')).queryByTestId('member-actions')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Actions for Kim' }));
    expect(menuItems()).toEqual(['Allow control', 'Kick', 'Ban']);
    await user.click(screen.getByRole('menuitem', { name: 'Allow control' }));
    await waitFor(() => {
      expect(within(rowOf('m_kim')).getByTestId('can-control')).toBeInTheDocument();
    });
    expect(api.calls(`PUT ${ROOM}/controllers/m_kim`)).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Actions for bob' }));
    expect(menuItems()).toEqual(['Allow control', 'Set as handover delegate', 'Make owner', 'Kick', 'Ban']);
    await user.click(screen.getByRole('menuitem', { name: 'Set as handover delegate' }));
    await waitFor(() => {
      expect(within(rowOf('m_bob')).getByText('Delegate')).toBeInTheDocument();
    });
    expect(api.calls(`PATCH ${ROOM}`)[0]?.body).toEqual({ delegateId: 'm_bob' });

    await user.click(screen.getByRole('button', { name: 'Actions for bob' }));
    await user.click(screen.getByRole('menuitem', { name: 'Kick' }));
    const kickDialog = screen.getByRole('dialog', { name: 'Remove bob from the room?' });
    expect(within(kickDialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.type(within(kickDialog).getByTestId('moderation-reason'), 'Too loud');
    await user.click(within(kickDialog).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_kim']);
    });
    expect(api.calls(`POST ${ROOM}/members/m_bob/kick`)[0]?.body).toEqual({ reason: 'Too loud' });

    await user.click(screen.getByRole('button', { name: 'Actions for Kim' }));
    expect(menuItems()).toEqual(['Revoke control', 'Kick', 'Ban']);
    await user.click(screen.getByRole('menuitem', { name: 'Ban' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Ban Kim?' })).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann']);
    });
    expect(api.calls(`POST ${ROOM}/bans`)[0]?.body).toEqual({ memberId: 'm_kim', reason: '' });
  });

  it('hands the room over with "Make owner", after which the menus are gone', async () => {
    signInAs('ann');
    const api = roomBackend({ members: [owner, cleoM] });
    const user = userEvent.setup();
    renderRoom();
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_cleo']);
    });
    await user.click(screen.getByRole('button', { name: 'Actions for cleo' }));
    await user.click(screen.getByRole('menuitem', { name: 'Make owner' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Make cleo the owner?' })).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(within(rowOf('m_cleo')).getByText('Owner')).toBeInTheDocument();
    });
    expect(api.calls(`POST ${ROOM}/owner`)[0]?.body).toEqual({ memberId: 'm_cleo' });
    expect(screen.queryByTestId('member-actions')).not.toBeInTheDocument();
    expect(screen.queryByTestId('open-room-settings')).not.toBeInTheDocument();
  });

  it('saves only the changed settings and shows the server’s seat limit on the field', async () => {
    signInAs('ann');
    const api = roomBackend({ members: [owner, bobM, kim] });
    const user = userEvent.setup();
    renderRoom();
    await user.click(await screen.findByTestId('open-room-settings'));
    const settings = within(screen.getByTestId('room-settings'));
    const name = settings.getByTestId('settings-name');
    await user.clear(name);
    await user.type(name, 'Movie night');
    await user.click(settings.getByRole('radio', { name: '2' }));
    await user.click(settings.getByTestId('save-settings'));

    const seats = settings.getByTestId('settings-seats');
    await waitFor(() => {
      expect(seats).toHaveAccessibleDescription(/3 people are in the room; the limit cannot go below that/);
    });
    expect(api.calls(`PATCH ${ROOM}`)[0]?.body).toEqual({ name: 'Movie night', maxParticipants: 2 });

    await user.click(settings.getByRole('radio', { name: '4' }));
    await user.click(settings.getByRole('radio', { name: /Everyone/ }));
    const grace = settings.getByTestId('settings-grace');
    await user.clear(grace);
    await user.type(grace, '30');
    await user.click(settings.getByTestId('save-settings'));
    await waitFor(() => {
      expect(screen.queryByTestId('room-settings')).not.toBeInTheDocument();
    });
    expect(api.calls(`PATCH ${ROOM}`)[1]?.body).toEqual({
      name: 'Movie night',
      maxParticipants: 4,
      playbackControl: 'all',
      buffering: { graceSeconds: 30 },
    });
    expect(screen.getByTestId('room-name')).toHaveTextContent('Movie night');
  });

  it('sets a password, lifts a ban and ends the room', async () => {
    signInAs('ann');
    const api = roomBackend({
      members: [owner],
      bans: [{ id: 'b_1', guestName: 'Troll', reason: 'Spam', createdAt: '2026-11-23T21:00:00Z' }],
    });
    const user = userEvent.setup();
    const router = renderRoom();
    await user.click(await screen.findByTestId('open-room-settings'));
    const settings = within(screen.getByTestId('room-settings'));

    await user.click(settings.getByRole('radio', { name: /Set a password/ }));
    await user.type(settings.getByTestId('settings-password'), 'abc');
    await user.click(settings.getByTestId('save-settings'));
    expect(settings.getByTestId('settings-password')).toHaveAccessibleDescription(/Use at least 4 characters/);
    expect(api.calls(`PATCH ${ROOM}`)).toHaveLength(0);

    const row = await settings.findByTestId('ban-row');
    expect(row).toHaveTextContent('Troll');
    await user.click(within(row).getByRole('button', { name: 'Unban Troll' }));
    await waitFor(() => {
      expect(settings.getByText('Nobody is banned from this room.')).toBeInTheDocument();
    });
    expect(api.calls(`DELETE ${ROOM}/bans/b_1`)).toHaveLength(1);

    await user.click(settings.getByTestId('end-room'));
    expect(api.calls(`DELETE ${ROOM}`)).toHaveLength(0);
    await user.click(settings.getByTestId('confirm-end-room'));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/');
    });
    expect(api.calls(`DELETE ${ROOM}`)).toHaveLength(1);
  });

  it('says who takes over before the owner leaves', async () => {
    signInAs('ann');
    const api = roomBackend({ members: [owner, kim, bobM] });
    const user = userEvent.setup();
    const router = renderRoom();
    await user.click(await screen.findByTestId('leave-room'));
    const dialog = screen.getByRole('dialog', { name: 'Leave this room?' });
    expect(dialog).toHaveAccessibleDescription('bob becomes the owner, and the room stays open for everyone in it.');
    await user.click(within(dialog).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/');
    });
    expect(api.calls(`POST ${ROOM}/leave`)).toHaveLength(1);
  });
});

describe('RoomPage invite friends', () => {
  it('lists friends not in the room, online first, and invites them', async () => {
    signInAs('ann');
    const dan = { id: 'u_dan', username: 'dan' };
    const eve = { id: 'u_eve', username: 'eve' };
    const api = roomBackend({
      members: [owner, bobM],
      friends: [
        { user: bob, online: true },
        { user: eve, online: false },
        { user: cleo, online: false },
        { user: dan, online: true },
      ],
    });
    const user = userEvent.setup();
    renderRoom();
    await user.click(await screen.findByTestId('open-invite-friends'));
    const dialog = within(screen.getByTestId('invite-friends'));
    await waitFor(() => {
      expect(dialog.getAllByTestId('invite-friend-row').map((row) => row.getAttribute('data-username'))).toEqual([
        'dan',
        'cleo',
        'eve',
      ]);
    });

    await user.click(dialog.getByRole('button', { name: 'Invite dan' }));
    await waitFor(() => {
      expect(dialog.getByTestId('invited')).toHaveTextContent('Invited');
    });
    expect(api.calls(`POST ${ROOM}/invites`)[0]?.body).toEqual({ userId: 'u_dan' });

    api.override(`POST ${ROOM}/invites`, () => problem(403, 'not_friends'));
    await user.click(dialog.getByRole('button', { name: 'Invite eve' }));
    expect(await dialog.findByTestId('invite-error')).toHaveTextContent('You are not friends any more.');

    api.override(`POST ${ROOM}/invites`, () => problem(503, 'dependency_unavailable'));
    await user.click(dialog.getByRole('button', { name: 'Invite cleo' }));
    await waitFor(() => {
      expect(dialog.getAllByTestId('invite-error')[0]).toHaveTextContent('Invites cannot be checked right now');
    });
  });

  it('is not offered to guests', async () => {
    saveGuestSession(CODE, 'guest:m_kim:0', 3600, 'm_kim');
    roomBackend({ members: [owner, kim] });
    renderRoom();
    await waitFor(() => {
      expect(participants()).toHaveLength(2);
    });
    expect(screen.queryByTestId('open-invite-friends')).not.toBeInTheDocument();
    expect(screen.queryByTestId('open-room-settings')).not.toBeInTheDocument();
  });
});
