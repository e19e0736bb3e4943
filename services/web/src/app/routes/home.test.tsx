import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useParams } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { HomeRoute } from '@/app/routes/home';
import { Toaster } from '@/components/ui/toast';
import { INVITES_REFRESH_MS } from '@/features/home/components/room-invites';
import { applySession } from '@/lib/session';
import { useSessionStore } from '@/stores/session-store';
import { useToastStore } from '@/stores/toast-store';
import { json, mockApi, noContent, problem, sessionBody, type Handler } from '@/testing/fetch-mock';

/**
 * The home page with the room feature's real API module (src/features/room/api/rooms-api.ts)
 * over a mocked fetch: what it sends and how it reads the answers of docs/api/rooms.md.
 */

const ann = { id: 'u_ann', username: 'ann' };
const bob = { id: 'u_bob', username: 'bob' };

function summary(code: string, overrides: Record<string, unknown> = {}) {
  return {
    code,
    name: `Room ${code}`,
    owner: ann,
    seatsTaken: 1,
    maxParticipants: 5,
    hasPassword: false,
    playbackControl: 'owner_only',
    nowPlaying: null,
    expiresAt: '2026-11-25T22:00:00Z',
    ...overrides,
  };
}

function createdRoom(code: string) {
  return {
    room: { ...summary(code), id: 'rm_1', createdAt: '2026-11-24T22:00:00Z', handover: { enabled: true, order: 'join_order' }, delegateId: null, controllers: [], inviteUrl: `/r/${code}` },
    member: { id: 'm_1', kind: 'user', user: ann, role: 'owner', joinedAt: '2026-11-24T22:00:00Z', canControl: true },
  };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function roomsApi(routes: Record<string, Handler> = {}) {
  return mockApi({
    'GET /api/rooms': () => json(200, { rooms: [] }),
    'GET /api/rooms/invites': () => json(200, { invites: [] }),
    ...routes,
  });
}

function RoomProbe() {
  const { code } = useParams();
  return <h1>Opened room {code}</h1>;
}

function renderHome() {
  render(
    <MemoryRouter initialEntries={['/']}>
      <Routes>
        <Route path="/" element={<HomeRoute />} />
        <Route path="/r/:code" element={<RoomProbe />} />
      </Routes>
      <Toaster />
    </MemoryRouter>,
  );
}

async function openCreateDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByTestId('create-room'));
  return screen.getByRole('dialog', { name: 'Create a room' });
}

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('home page, signed out', () => {
  it('shows the pitch, sends "Create a room" to log in and asks for nothing', async () => {
    const api = roomsApi();
    renderHome();
    expect(screen.getByRole('heading', { level: 1, name: 'Watch together, perfectly in sync.' })).toBeInTheDocument();
    expect(screen.getByTestId('create-room')).toHaveAttribute('href', '/login');
    expect(screen.getByRole('link', { name: 'sign up' })).toHaveAttribute('href', '/register');
    expect(screen.getByRole('form', { name: 'Join a room' })).toBeInTheDocument();
    expect(screen.queryByTestId('my-rooms')).not.toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.fetchMock).not.toHaveBeenCalled();
  });

  it('holds "Create a room" while the silent sign-in runs', () => {
    roomsApi();
    useSessionStore.setState({ status: 'unknown' });
    renderHome();
    expect(screen.getByTestId('create-room')).toBeDisabled();
  });
});

describe('create a room', () => {
  beforeEach(() => {
    applySession(sessionBody({ accessToken: 'ann-token' }));
  });

  it('opens a dialog with the defaults, the name field focused', async () => {
    roomsApi();
    const user = userEvent.setup();
    renderHome();
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome back, ann' })).toBeInTheDocument();
    const dialog = await openCreateDialog(user);
    const name = within(dialog).getByRole('textbox', { name: 'Room name' });
    expect(name).toHaveFocus();
    expect(name).toHaveAttribute('placeholder', "ann's room");
    expect(within(screen.getByTestId('max-participants')).getByRole('radio', { name: '5' })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Only me' })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Everyone' })).toHaveAccessibleDescription(
      'Anyone in the room can play, pause and seek.',
    );
    expect(within(dialog).getByRole('switch', { name: 'If I drop out, hand the remote to the next person' })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Longest-present member' })).toBeChecked();
  });

  it('checks the fields before sending, then creates the room and opens it', async () => {
    const api = roomsApi({ 'POST /api/rooms': () => json(201, createdRoom('K7QX2MPA')) });
    const user = userEvent.setup();
    renderHome();
    const dialog = await openCreateDialog(user);
    const name = within(dialog).getByRole('textbox', { name: 'Room name' });
    const password = screen.getByTestId('room-password');

    await user.type(name, 'n'.repeat(61));
    await user.type(password, 'abc');
    await user.click(screen.getByTestId('create-room-submit'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/Use at most 60 characters \(this one has 61\)/);
    expect(name).toHaveFocus();
    expect(password).toHaveAccessibleDescription(/Use at least 4 characters/);
    expect(api.calls('POST /api/rooms')).toHaveLength(0);

    // Messages follow the typing once shown.
    await user.clear(name);
    await user.type(name, '  Friday film ');
    expect(name).not.toHaveAttribute('aria-invalid');
    await user.type(password, 'd');
    expect(password).not.toHaveAttribute('aria-invalid');

    await user.click(within(screen.getByTestId('max-participants')).getByRole('radio', { name: '3' }));
    await user.click(within(dialog).getByRole('radio', { name: 'People I choose' }));
    const handover = within(dialog).getByRole('switch', { name: /hand the remote/ });
    await user.click(handover);
    expect(handover).not.toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Someone I pick later' })).toBeDisabled();
    await user.click(handover);
    await user.click(within(dialog).getByRole('radio', { name: 'Someone I pick later' }));

    await user.click(screen.getByTestId('create-room-submit'));
    expect(await screen.findByRole('heading', { name: 'Opened room K7QX2MPA' })).toBeInTheDocument();
    const [sent] = api.calls('POST /api/rooms');
    expect(sent?.headers.Authorization).toBe('Bearer ann-token');
    expect(sent?.body).toEqual({
      name: 'Friday film',
      maxParticipants: 3,
      password: 'abcd',
      playbackControl: 'selected',
      handover: { enabled: true, order: 'explicit_delegate' },
    });
    expect(screen.getByText('Room created')).toBeInTheDocument();
  });

  it('sends no name and no password when both are left empty', async () => {
    const api = roomsApi({ 'POST /api/rooms': () => json(201, createdRoom('ABCDEFGH')) });
    const user = userEvent.setup();
    renderHome();
    await openCreateDialog(user);
    await user.click(screen.getByTestId('create-room-submit'));
    expect(await screen.findByRole('heading', { name: 'Opened room ABCDEFGH' })).toBeInTheDocument();
    expect(api.calls('POST /api/rooms')[0]?.body).toEqual({
      maxParticipants: 5,
      playbackControl: 'owner_only',
      handover: { enabled: true, order: 'join_order' },
    });
  });

  it('shows the service’s field errors on their fields', async () => {
    roomsApi({
      'POST /api/rooms': () =>
        problem(400, 'invalid_request', {
          errors: [
            { field: 'name', message: 'control characters are not allowed' },
            { field: 'handover.order', message: 'choose one of join_order, explicit_delegate' },
          ],
        }),
    });
    const user = userEvent.setup();
    renderHome();
    const dialog = await openCreateDialog(user);
    const name = within(dialog).getByRole('textbox', { name: 'Room name' });
    await user.type(name, 'Odd name');
    await user.click(screen.getByTestId('create-room-submit'));
    await waitFor(() => {
      expect(name).toHaveAccessibleDescription(/Control characters are not allowed\./);
    });
    expect(name).toHaveFocus();
    expect(screen.getByTestId('handover-order')).toHaveAccessibleDescription(
      /Choose one of join_order, explicit_delegate\./,
    );
    expect(screen.getByRole('dialog', { name: 'Create a room' })).toBeInTheDocument();

    // Editing the field clears its server message.
    await user.type(name, 'x');
    expect(name).not.toHaveAttribute('aria-invalid');
  });

  it('says when another room can be created after the hourly limit', async () => {
    roomsApi({
      'POST /api/rooms': () => problem(429, 'rate_limited', { retryAfter: 720 }, { 'Retry-After': '720' }),
    });
    const user = userEvent.setup();
    renderHome();
    await openCreateDialog(user);
    await user.click(screen.getByTestId('create-room-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You can create 5 rooms an hour. Try again in 12 minutes.',
    );
  });

  it('says so when the room service does not answer', async () => {
    roomsApi({ 'POST /api/rooms': () => new Response(null, { status: 503 }) });
    const user = userEvent.setup();
    renderHome();
    await openCreateDialog(user);
    await user.click(screen.getByTestId('create-room-submit'));
    expect(await screen.findByRole('alert')).toHaveTextContent(/room service is not available/);
  });
});

describe('your rooms', () => {
  beforeEach(() => {
    applySession(sessionBody({ accessToken: 'ann-token' }));
  });

  it('lists the rooms you are in first, then your history, muted', async () => {
    const api = roomsApi({
      'GET /api/rooms': () =>
        json(200, {
          rooms: [
            { room: summary('K7QX2MPA', { name: 'Friday film', seatsTaken: 2, hasPassword: true }), role: 'owner', joinedAt: minutesAgo(30), leftAt: null, live: true },
            { room: summary('ABCDEFGH', { name: 'Bob’s room', owner: bob, seatsTaken: 3, maxParticipants: 3 }), role: 'member', joinedAt: minutesAgo(10), leftAt: null, live: true },
            { room: summary('K7QX2MPA', { name: 'Friday film' }), role: 'owner', joinedAt: minutesAgo(300), leftAt: minutesAgo(200), live: false },
            { room: summary('ZZZZ2222', { name: 'Old night' }), role: 'member', joinedAt: minutesAgo(3000), leftAt: minutesAgo(2 * 24 * 60), live: false },
            { room: summary('YYYY3333', { name: 'Ended one' }), role: 'owner', joinedAt: minutesAgo(3 * 24 * 60), leftAt: null, live: false },
          ],
        }),
    });
    renderHome();
    const section = await screen.findByTestId('my-rooms');
    expect(within(section).getByRole('heading', { name: 'Your rooms' })).toBeInTheDocument();
    await waitFor(() => {
      expect(within(section).getAllByTestId('my-room')).toHaveLength(4);
    });
    expect(api.calls('GET /api/rooms')[0]?.headers.Authorization).toBe('Bearer ann-token');

    const live = within(screen.getByTestId('my-rooms-live')).getAllByTestId('my-room');
    expect(live.map((row) => row.getAttribute('data-code'))).toEqual(['K7QX2MPA', 'ABCDEFGH']);
    const [friday, bobs] = live as [HTMLElement, HTMLElement];
    expect(within(friday).getByText('Friday film')).toBeInTheDocument();
    expect(within(friday).getByTestId('room-role')).toHaveTextContent('Owner');
    expect(within(friday).getByTestId('room-seats')).toHaveTextContent('2 of 5 seats taken');
    expect(within(friday).getByText('Needs a password')).toBeInTheDocument();
    expect(within(friday).getByRole('link', { name: 'Open Friday film' })).toHaveAttribute('href', '/r/K7QX2MPA');
    expect(within(bobs).getByTestId('room-role')).toHaveTextContent('Member');
    expect(within(bobs).getByTestId('room-seats')).toHaveTextContent('3 of 3 seats taken, full');
    expect(within(bobs).queryByTestId('room-lock')).not.toBeInTheDocument();

    const history = within(screen.getByTestId('my-rooms-history')).getAllByTestId('my-room');
    expect(history.map((row) => row.getAttribute('data-code'))).toEqual(['ZZZZ2222', 'YYYY3333']);
    expect(within(history[0] as HTMLElement).getByTestId('room-when')).toHaveTextContent('Left 2 days ago');
    expect(within(history[1] as HTMLElement).getByTestId('room-when')).toHaveTextContent('Ended · joined 3 days ago');
    expect(within(history[0] as HTMLElement).queryByRole('link')).not.toBeInTheDocument();
  });

  it('invites you to create one when there are none', async () => {
    roomsApi();
    const user = userEvent.setup();
    renderHome();
    const empty = await screen.findByTestId('my-rooms-empty');
    expect(empty).toHaveTextContent(/No rooms yet/);
    await user.click(within(empty).getByTestId('create-room-empty'));
    expect(screen.getByRole('dialog', { name: 'Create a room' })).toBeInTheDocument();
  });

  it('offers a retry when the list cannot be loaded', async () => {
    let fail = true;
    roomsApi({ 'GET /api/rooms': () => (fail ? new Response(null, { status: 503 }) : json(200, { rooms: [] })) });
    const user = userEvent.setup();
    renderHome();
    expect(await screen.findByRole('alert')).toHaveTextContent(/Your rooms could not be loaded/);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('my-rooms-empty')).toBeInTheDocument();
  });
});

describe('invitations', () => {
  beforeEach(() => {
    applySession(sessionBody({ accessToken: 'ann-token' }));
  });

  function inviteBackend() {
    let invites = [
      { id: 'inv_1', room: summary('K7QX2MPA', { name: 'Friday film', owner: bob, seatsTaken: 2, hasPassword: true }), from: bob, createdAt: minutesAgo(5) },
      { id: 'inv_2', room: summary('ABCDEFGH', { name: 'Cleo’s night', seatsTaken: 4 }), from: { id: 'u_cleo', username: 'cleo' }, createdAt: minutesAgo(60) },
    ];
    const api = roomsApi({
      'GET /api/rooms/invites': () => json(200, { invites }),
      'DELETE /api/rooms/invites/inv_1': () => {
        invites = invites.filter((invite) => invite.id !== 'inv_1');
        return noContent();
      },
      // Settled meanwhile (joined from another tab): the service no longer has it.
      'DELETE /api/rooms/invites/inv_2': () => {
        invites = invites.filter((invite) => invite.id !== 'inv_2');
        return problem(404, 'invite_not_found');
      },
    });
    return {
      api,
      clear: () => {
        invites = [];
      },
    };
  }

  it('is hidden when there are none', async () => {
    const api = roomsApi();
    renderHome();
    await screen.findByTestId('my-rooms-empty');
    expect(api.calls('GET /api/rooms/invites')).toHaveLength(1);
    expect(screen.queryByTestId('room-invites')).not.toBeInTheDocument();
  });

  it('lists who invited you where, with seats and a lock, above your rooms', async () => {
    inviteBackend();
    renderHome();
    const section = await screen.findByTestId('room-invites');
    const rows = within(section).getAllByTestId('room-invite');
    expect(rows).toHaveLength(2);
    const first = rows[0] as HTMLElement;
    expect(within(first).getByTestId('invite-text')).toHaveTextContent('bob invited you to Friday film');
    expect(within(first).getByTestId('room-seats')).toHaveTextContent('2 of 5 seats taken');
    expect(within(first).getByText('Needs a password')).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).queryByTestId('room-lock')).not.toBeInTheDocument();
    // Invitations come before your rooms.
    expect(section.compareDocumentPosition(screen.getByTestId('my-rooms')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('joins by opening the room page', async () => {
    inviteBackend();
    const user = userEvent.setup();
    renderHome();
    await user.click(await screen.findByRole('button', { name: 'Join Friday film' }));
    expect(await screen.findByRole('heading', { name: 'Opened room K7QX2MPA' })).toBeInTheDocument();
  });

  it('dismisses an invitation, and takes one that is already gone off the list too', async () => {
    const { api } = inviteBackend();
    const user = userEvent.setup();
    renderHome();
    const dismiss = await screen.findByRole('button', { name: 'Dismiss the invitation to Friday film' });
    await user.click(dismiss);
    await waitFor(() => {
      expect(screen.getAllByTestId('room-invite').map((row) => row.getAttribute('data-invite-id'))).toEqual(['inv_2']);
    });
    expect(api.calls('DELETE /api/rooms/invites/inv_1')[0]?.headers.Authorization).toBe('Bearer ann-token');
    // Focus moves on to the next invitation.
    expect(screen.getByRole('button', { name: 'Join Cleo’s night' })).toHaveFocus();

    // Already gone (404): no error, it just leaves; with the last one the section goes, and focus
    // lands on "Your rooms".
    await user.click(screen.getByRole('button', { name: 'Dismiss the invitation to Cleo’s night' }));
    await waitFor(() => {
      expect(screen.queryByTestId('room-invites')).not.toBeInTheDocument();
    });
    expect(api.calls('DELETE /api/rooms/invites/inv_2')).toHaveLength(1);
    expect(screen.queryByText('Could not dismiss the invitation')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Your rooms' })).toHaveFocus();
  });

  it('says so when dismissing fails', async () => {
    mockApi({
      'GET /api/rooms': () => json(200, { rooms: [] }),
      'GET /api/rooms/invites': () =>
        json(200, { invites: [{ id: 'inv_9', room: summary('K7QX2MPA', { name: 'Friday film' }), from: bob, createdAt: minutesAgo(1) }] }),
      'DELETE /api/rooms/invites/inv_9': () => new Response(null, { status: 503 }),
    });
    const user = userEvent.setup();
    renderHome();
    await user.click(await screen.findByRole('button', { name: 'Dismiss the invitation to Friday film' }));
    expect(await screen.findByText('Could not dismiss the invitation')).toBeInTheDocument();
    expect(screen.getAllByTestId('room-invite')).toHaveLength(1);
  });

  it('looks for new invitations every 15 s while the page is visible', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { api, clear } = inviteBackend();
    renderHome();
    await screen.findByTestId('room-invites');
    expect(api.calls('GET /api/rooms/invites')).toHaveLength(1);

    clear();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(INVITES_REFRESH_MS);
    });
    expect(api.calls('GET /api/rooms/invites')).toHaveLength(2);
    await waitFor(() => {
      expect(screen.queryByTestId('room-invites')).not.toBeInTheDocument();
    });

    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(INVITES_REFRESH_MS * 3);
    });
    expect(api.calls('GET /api/rooms/invites')).toHaveLength(2);

    visibility.mockReturnValue('visible');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => {
      expect(api.calls('GET /api/rooms/invites')).toHaveLength(3);
    });
  });
});
