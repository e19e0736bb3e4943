import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import type { FriendsOverview, SearchResult } from '@/features/friends/api/friends-api';
import { FriendsPage } from '@/features/friends/components/friends-page';
import { FRIENDS_REFRESH_MS } from '@/features/friends/hooks/use-friends';
import { applySession } from '@/lib/session';
import { useToastStore } from '@/stores/toast-store';
import { json, mockApi, noContent, problem, requestUrl, sessionBody } from '@/testing/fetch-mock';

const bob = { id: 'u_bob', username: 'bob' };
const cleo = { id: 'u_cleo', username: 'cleo' };
const dan = { id: 'u_dan', username: 'dan' };
const eve = { id: 'u_eve', username: 'eve' };
const fay = { id: 'u_fay', username: 'fay' };

function overview(): FriendsOverview {
  return {
    friends: [
      { user: bob, online: true, since: '2026-11-20T10:00:00Z' },
      { user: cleo, online: false, since: '2026-11-21T10:00:00Z' },
    ],
    incoming: [{ id: 'fr_dan', user: dan, createdAt: new Date(Date.now() - 5 * 60_000).toISOString() }],
    outgoing: [{ id: 'fr_eve', user: eve, createdAt: new Date(Date.now() - 3_600_000).toISOString() }],
    blocked: [{ user: fay, since: '2026-11-01T10:00:00Z' }],
  };
}

/** A small in-memory friends backend behind the mocked fetch. */
function friendsBackend(initial: FriendsOverview = overview(), search: SearchResult[] = []) {
  let data = initial;
  const api = mockApi({
    'GET /api/friends': () => json(200, data),
    'GET /api/friends/search': () => json(200, { users: search }),
    'POST /api/friends/request': ({ body }) => {
      const { username } = body as { username: string };
      const request = { id: `fr_${username}`, user: { id: `u_${username}`, username }, createdAt: new Date().toISOString() };
      data = { ...data, outgoing: [...data.outgoing, request] };
      search = search.map((r) => (r.user.username === username ? { ...r, relation: 'outgoing' } : r));
      return json(201, { request });
    },
    'POST /api/friends/accept': ({ body }) => {
      const { requestId } = body as { requestId: string };
      const request = data.incoming.find((r) => r.id === requestId);
      if (!request) return problem(404, 'request_not_found');
      const friend = { user: request.user, online: false, since: new Date().toISOString() };
      data = { ...data, incoming: data.incoming.filter((r) => r.id !== requestId), friends: [...data.friends, friend] };
      return json(200, { friend });
    },
    'POST /api/friends/decline': ({ body }) => {
      const { requestId } = body as { requestId: string };
      data = { ...data, incoming: data.incoming.filter((r) => r.id !== requestId) };
      return noContent();
    },
    'DELETE /api/friends/requests/fr_eve': () => {
      data = { ...data, outgoing: data.outgoing.filter((r) => r.id !== 'fr_eve') };
      return noContent();
    },
    'DELETE /api/friends/u_bob': () => {
      data = { ...data, friends: data.friends.filter((f) => f.user.id !== 'u_bob') };
      return noContent();
    },
    'POST /api/friends/block': ({ body }) => {
      const { username } = body as { username: string };
      const found = data.friends.find((f) => f.user.username === username)?.user ?? { id: `u_${username}`, username };
      data = {
        ...data,
        friends: data.friends.filter((f) => f.user.username !== username),
        blocked: [...data.blocked, { user: found, since: new Date().toISOString() }],
      };
      return noContent();
    },
    'DELETE /api/friends/block/u_fay': () => {
      data = { ...data, blocked: data.blocked.filter((b) => b.user.id !== 'u_fay') };
      return noContent();
    },
  });
  return api;
}

function renderPage() {
  render(
    <MemoryRouter>
      <FriendsPage />
      <Toaster />
    </MemoryRouter>,
  );
}

const rows = (testId: string) => screen.queryAllByTestId(testId);
const names = (testId: string) => rows(testId).map((row) => row.getAttribute('data-username'));

beforeEach(() => {
  useToastStore.getState().clearToasts();
  applySession(sessionBody({ accessToken: 'ann-token' }));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('FriendsPage', () => {
  it('renders every section from GET /api/friends', async () => {
    const api = friendsBackend();
    renderPage();
    await waitFor(() => {
      expect(names('friend-row')).toEqual(['bob', 'cleo']);
    });
    expect(names('incoming-request')).toEqual(['dan']);
    expect(names('outgoing-request')).toEqual(['eve']);
    expect(names('blocked-row')).toEqual(['fay']);
    expect(api.calls('GET /api/friends')[0]?.headers.Authorization).toBe('Bearer ann-token');

    const [bobRow] = rows('friend-row');
    expect(within(bobRow as HTMLElement).getByText('Online')).toBeInTheDocument();
    expect(within(rows('friend-row')[1] as HTMLElement).getByText('Offline')).toBeInTheDocument();
    expect(screen.getByText('1 of 2 online')).toBeInTheDocument();
    expect(within(rows('incoming-request')[0] as HTMLElement).getByText('Asked 5 minutes ago')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Requests for you' })).toBeInTheDocument();
  });

  it('says so when a list is empty', async () => {
    friendsBackend({ friends: [], incoming: [], outgoing: [], blocked: [] });
    renderPage();
    expect(await screen.findByText(/No friends yet/)).toBeInTheDocument();
    expect(screen.getByText('No one is waiting for an answer.')).toBeInTheDocument();
    expect(screen.getByText('You have not blocked anyone.')).toBeInTheDocument();
  });

  it('offers a retry when the list cannot be loaded', async () => {
    mockApi({ 'GET /api/friends': () => new Response(null, { status: 503 }) });
    renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent(/could not be loaded/);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('accepts an incoming request and shows the new friend', async () => {
    const api = friendsBackend();
    renderPage();
    const accept = await screen.findByTestId('accept-request');
    expect(accept).toHaveAccessibleName('Accept friend request from dan');
    await userEvent.click(accept);
    await waitFor(() => {
      expect(names('friend-row')).toContain('dan');
    });
    expect(rows('incoming-request')).toHaveLength(0);
    expect(api.calls('POST /api/friends/accept')[0]?.body).toEqual({ requestId: 'fr_dan' });
    expect(screen.getByText('You and dan are now friends')).toBeInTheDocument();
  });

  it('declines an incoming request', async () => {
    const api = friendsBackend();
    renderPage();
    await userEvent.click(await screen.findByTestId('decline-request'));
    await waitFor(() => {
      expect(rows('incoming-request')).toHaveLength(0);
    });
    expect(api.calls('POST /api/friends/decline')[0]?.body).toEqual({ requestId: 'fr_dan' });
  });

  it('cancels an outgoing request', async () => {
    const api = friendsBackend();
    renderPage();
    await userEvent.click(await screen.findByTestId('cancel-request'));
    await waitFor(() => {
      expect(rows('outgoing-request')).toHaveLength(0);
    });
    expect(api.calls('DELETE /api/friends/requests/fr_eve')).toHaveLength(1);
  });

  it('removes a friend only after confirming in a dialog', async () => {
    const api = friendsBackend();
    const user = userEvent.setup();
    renderPage();
    await waitFor(() => {
      expect(rows('friend-row')).toHaveLength(2);
    });
    await user.click(screen.getByRole('button', { name: 'Actions for bob' }));
    await user.click(screen.getByTestId('remove-friend'));
    const dialog = screen.getByRole('dialog', { name: 'Remove bob from your friends?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(api.calls('DELETE /api/friends/u_bob')).toHaveLength(0);

    await user.click(within(dialog).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(names('friend-row')).toEqual(['cleo']);
    });
    expect(api.calls('DELETE /api/friends/u_bob')).toHaveLength(1);
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    expect(screen.getByRole('heading', { name: 'Your friends' })).toHaveFocus();
  });

  it('blocks a friend from the friend’s menu, and unblocks from the blocked list', async () => {
    const api = friendsBackend();
    const user = userEvent.setup();
    renderPage();
    await waitFor(() => {
      expect(rows('friend-row')).toHaveLength(2);
    });
    await user.click(screen.getByRole('button', { name: 'Actions for cleo' }));
    await user.click(screen.getByTestId('block-user'));
    await user.click(within(screen.getByRole('dialog', { name: 'Block cleo?' })).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(names('blocked-row')).toEqual(['fay', 'cleo']);
    });
    expect(api.calls('POST /api/friends/block')[0]?.body).toEqual({ username: 'cleo' });

    const fayRow = rows('blocked-row')[0] as HTMLElement;
    await user.click(within(fayRow).getByTestId('unblock-user'));
    await waitFor(() => {
      expect(names('blocked-row')).toEqual(['cleo']);
    });
  });

  it('shows a conflict as a toast and reloads the list', async () => {
    const api = friendsBackend();
    renderPage();
    await screen.findByTestId('accept-request');
    // The request was withdrawn meanwhile.
    const before = api.calls('GET /api/friends').length;
    mockApiOverride(api, 'POST /api/friends/accept', () => problem(404, 'request_not_found'));
    await userEvent.click(screen.getByTestId('accept-request'));
    expect(await screen.findByText('That request is no longer there.')).toBeInTheDocument();
    await waitFor(() => {
      expect(api.calls('GET /api/friends').length).toBeGreaterThan(before);
    });
  });

  it('reloads every 30 s while the page is visible', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = friendsBackend();
    renderPage();
    await waitFor(() => {
      expect(api.calls('GET /api/friends')).toHaveLength(1);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(FRIENDS_REFRESH_MS);
    });
    expect(api.calls('GET /api/friends')).toHaveLength(2);

    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(FRIENDS_REFRESH_MS * 3);
    });
    expect(api.calls('GET /api/friends')).toHaveLength(2);

    visibility.mockReturnValue('visible');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => {
      expect(api.calls('GET /api/friends')).toHaveLength(3);
    });
  });
});

describe('FriendsPage search', () => {
  const results: SearchResult[] = [
    { user: { id: 'u_bobby', username: 'bobby' }, relation: 'none' },
    { user: bob, relation: 'friend' },
    { user: dan, relation: 'incoming' },
    { user: eve, relation: 'outgoing' },
    { user: fay, relation: 'blocked' },
  ];

  it('waits for 2 characters and a pause before searching', async () => {
    const api = friendsBackend(overview(), results);
    const user = userEvent.setup();
    renderPage();
    const input = screen.getByTestId('friend-search');
    await user.type(input, 'b');
    expect(await screen.findByText('Type at least 2 characters.')).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(api.calls('GET /api/friends/search')).toHaveLength(0);

    await user.type(input, 'ob');
    await waitFor(() => {
      expect(rows('friend-search-result')).toHaveLength(5);
    });
    const searches = api.calls('GET /api/friends/search');
    expect(searches).toHaveLength(1);
    expect(searches[0]?.path).toBe('/api/friends/search?q=bob');
    expect(screen.getByText('5 people found.')).toBeInTheDocument();
  });

  it('reflects the relation on each result’s add button, and adds a friend', async () => {
    const api = friendsBackend(overview(), results);
    const user = userEvent.setup();
    renderPage();
    await user.type(screen.getByTestId('friend-search'), 'bo');
    await waitFor(() => {
      expect(rows('friend-search-result')).toHaveLength(5);
    });
    const buttons = screen.getAllByTestId('add-friend');
    expect(buttons.map((b) => [b.getAttribute('data-relation'), b.textContent, (b as HTMLButtonElement).disabled])).toEqual([
      ['none', 'Add friend', false],
      ['friend', 'Friends', true],
      ['incoming', 'Accept', false],
      ['outgoing', 'Requested', true],
      ['blocked', 'Blocked', true],
    ]);
    // Blocked people cannot be blocked again; everyone else has a Block button.
    expect(screen.getAllByTestId('block-user')).toHaveLength(4);

    await user.click(buttons[0] as HTMLElement);
    await waitFor(() => {
      expect(names('outgoing-request')).toContain('bobby');
    });
    expect(api.calls('POST /api/friends/request')[0]?.body).toEqual({ username: 'bobby' });
    expect(screen.getByText('Friend request sent')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.getAllByTestId('add-friend')[0]).toHaveAttribute('data-relation', 'outgoing');
    });
  });

  it('blocks someone from a search result after confirming', async () => {
    const api = friendsBackend(overview(), results);
    const user = userEvent.setup();
    renderPage();
    await user.type(screen.getByTestId('friend-search'), 'bo');
    await waitFor(() => {
      expect(rows('friend-search-result')).toHaveLength(5);
    });
    await user.click(screen.getByRole('button', { name: 'Block bobby' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Block bobby?' })).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(names('blocked-row')).toContain('bobby');
    });
    expect(api.calls('POST /api/friends/block')[0]?.body).toEqual({ username: 'bobby' });
  });

  it('says when no one matches', async () => {
    friendsBackend(overview(), []);
    const user = userEvent.setup();
    renderPage();
    await user.type(screen.getByTestId('friend-search'), 'zz');
    expect(await screen.findByText('No one found for “zz”.')).toBeInTheDocument();
  });
});

/** Replaces one route of a mocked API for the rest of the test. */
function mockApiOverride(api: ReturnType<typeof mockApi>, route: string, handler: () => Response) {
  const original = api.fetchMock.getMockImplementation();
  api.fetchMock.mockImplementation(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(requestUrl(input), 'http://localhost');
    if (`${(init.method ?? 'GET').toUpperCase()} ${url.pathname}` === route) return handler();
    if (!original) throw new Error('no implementation');
    return original(input, init);
  });
}
