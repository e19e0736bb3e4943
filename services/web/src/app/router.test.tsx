import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import { useToastStore } from '@/stores/toast-store';

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProvider>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return router;
}

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

describe('routes', () => {
  it.each([
    ['/', 'Watch together, perfectly in sync.'],
    ['/login', 'Log in'],
    ['/register', 'Create your account'],
    ['/r/ABCDEFGH', 'Room lobby'],
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

  it('makes no request when a page loads', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    for (const path of ['/', '/login', '/register', '/r/ABCDEFGH', '/missing']) {
      renderAt(path);
      await screen.findAllByRole('heading', { level: 1 });
    }
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('sends "create a room" to log in', async () => {
    renderAt('/');
    expect(await screen.findByRole('link', { name: 'Create a room' })).toHaveAttribute('href', '/login');
  });

  it('shows the invite code, link and unavailable state in the room lobby', async () => {
    renderAt('/r/ABCDEFGH');
    expect(await screen.findByTestId('room-code')).toHaveTextContent('ABCDEFGH');
    expect(screen.getByRole('textbox', { name: 'Invite link' })).toHaveValue(`${window.location.origin}/r/ABCDEFGH`);
    expect(screen.getByRole('button', { name: 'Copy invite link' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'The room could not be loaded yet' })).toBeInTheDocument();
  });

  it('redirects a lowercase or dashed code to its canonical address', async () => {
    const router = renderAt('/r/abcd-efgh');
    expect(await screen.findByRole('heading', { level: 1, name: 'Room lobby' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/r/ABCDEFGH');
  });
});
