import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import { applySession } from '@/lib/session';
import { SESSION_HINT_KEY, useSessionStore } from '@/stores/session-store';
import { useToastStore } from '@/stores/toast-store';
import { json, mockApi, noContent, sessionBody } from '@/testing/fetch-mock';

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProvider>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return router;
}

const roomSummary = {
  code: 'ABCDEFGH',
  name: 'Friday film',
  owner: { id: 'u_ann', username: 'ann' },
  seatsTaken: 1,
  maxParticipants: 5,
  hasPassword: false,
  playbackControl: 'owner_only',
  nowPlaying: null,
  expiresAt: '2026-11-24T22:00:00Z',
};

const emptyFriends = () => json(200, { friends: [], incoming: [], outgoing: [], blocked: [] });

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

describe('routes', () => {
  it.each([
    ['/', 'Watch together, perfectly in sync.'],
    ['/login', 'Log in'],
    ['/register', 'Create your account'],
    ['/r/not-a-code', 'This invite link is not valid'],
    ['/no/such/page', 'Page not found'],
  ])('%s renders its heading', async (path, heading) => {
    renderAt(path);
    expect(await screen.findByRole('heading', { level: 1, name: heading })).toBeInTheDocument();
  });

  it('shows the app shell on every page', async () => {
    renderAt('/login');
    expect(await screen.findByRole('link', { name: 'SyncWatch home' })).toHaveAttribute('href', '/');
    expect(screen.getByTestId('theme-toggle')).toHaveAccessibleName(/Switch to (dark|light) theme/);
    expect(screen.getByRole('region', { name: 'Notifications' })).toBeInTheDocument();
  });

  it('makes no request when a page loads signed out', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    // Not /r/<code>: the room page reads the room's public summary for anyone.
    for (const path of ['/', '/login', '/register', '/missing', '/profile', '/friends']) {
      renderAt(path);
      await screen.findAllByRole('heading', { level: 1 });
    }
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('sends "create a room" to log in', async () => {
    renderAt('/');
    expect(await screen.findByRole('link', { name: 'Create a room' })).toHaveAttribute('href', '/login');
  });

  it('shows the room lobby at /r/:code, with sign-in coming back to the room', async () => {
    const api = mockApi({ 'GET /api/rooms/ABCDEFGH': () => json(200, { room: roomSummary }) });
    renderAt('/r/ABCDEFGH');
    expect(await screen.findByRole('heading', { level: 1, name: 'Friday film' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in to join' })).toHaveAttribute('href', '/login?next=/r/ABCDEFGH');
    expect(api.calls('GET /api/rooms/ABCDEFGH')).toHaveLength(1);
  });

  it('redirects a lowercase or dashed code to its canonical address', async () => {
    mockApi({ 'GET /api/rooms/ABCDEFGH': () => json(200, { room: roomSummary }) });
    const router = renderAt('/r/abcd-efgh');
    expect(await screen.findByRole('heading', { level: 1, name: 'Friday film' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/r/ABCDEFGH');
  });
});

describe('protected routes', () => {
  it.each(['/profile', '/friends'])('%s sends signed-out people to /login?next=%s', async (path) => {
    const router = renderAt(path);
    expect(await screen.findByRole('heading', { level: 1, name: 'Log in' })).toBeInTheDocument();
    expect(`${router.state.location.pathname}${router.state.location.search}`).toBe(`/login?next=${path}`);
  });

  it('waits for the silent sign-in instead of redirecting', async () => {
    useSessionStore.setState({ status: 'unknown' });
    const router = renderAt('/profile');
    expect(await screen.findByRole('status')).toHaveTextContent('Checking your session…');
    expect(router.state.location.pathname).toBe('/profile');
  });

  it('shows the profile when signed in', async () => {
    applySession(sessionBody());
    renderAt('/profile');
    expect(await screen.findByRole('heading', { level: 1, name: 'ann' })).toBeInTheDocument();
    expect(screen.getByText('ann@example.com')).toBeInTheDocument();
    expect(screen.getByText('Member since')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Change password' })).toBeInTheDocument();
  });

  it('shows the friends page when signed in', async () => {
    mockApi({ 'GET /api/friends': emptyFriends });
    applySession(sessionBody());
    renderAt('/friends');
    expect(await screen.findByRole('heading', { level: 1, name: 'Friends' })).toBeInTheDocument();
  });

  it('sends signed-in people away from log in, to ?next=', async () => {
    mockApi({ 'GET /api/friends': emptyFriends });
    applySession(sessionBody());
    const router = renderAt('/login?next=/friends');
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/friends');
    });
  });
});

describe('header', () => {
  it('offers log in and sign up while signed out', async () => {
    renderAt('/');
    const nav = (await screen.findAllByRole('navigation', { name: 'Main' }))[0] as HTMLElement;
    expect(within(nav).getByRole('link', { name: 'Log in' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Sign up' })).toBeInTheDocument();
    expect(screen.queryByTestId('user-menu')).not.toBeInTheDocument();
  });

  it('shows the avatar and name with a Profile / Friends / Sign out menu while signed in', async () => {
    applySession(sessionBody());
    const router = renderAt('/');
    const trigger = await screen.findByTestId('user-menu');
    expect(trigger).toHaveAccessibleName('Account menu for ann');
    expect(trigger).toHaveTextContent('ann');
    expect(screen.queryByRole('link', { name: 'Log in' })).not.toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(trigger);
    const menu = screen.getByRole('menu', { name: 'Account' });
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Profile',
      'Friends',
      'Sign out',
    ]);
    await user.click(within(menu).getByRole('menuitem', { name: 'Profile' }));
    expect(router.state.location.pathname).toBe('/profile');
  });

  it('signs out from the menu', async () => {
    const api = mockApi({ 'POST /api/auth/logout': () => noContent() });
    applySession(sessionBody({ accessToken: 'bye' }));
    const router = renderAt('/profile');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('user-menu'));
    await user.click(screen.getByTestId('sign-out'));
    await waitFor(() => {
      expect(useSessionStore.getState().status).toBe('signed-out');
    });
    expect(api.calls('POST /api/auth/logout')[0]?.headers.Authorization).toBe('Bearer bye');
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/');
    });
    expect(await screen.findByText('Signed out')).toBeInTheDocument();
  });
});
