import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import { RoomPage } from '@/features/room/components/room-page';
import type { RenderChat, RenderStage } from '@/features/room/components/room-view';
import type { LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { ROOM_LIVE_POLL_MS, ROOM_POLL_MS } from '@/features/room/hooks/use-room-membership';
import { ann, bob, cleo, guestMember, userMember } from '@/features/room/testing/fixtures';
import { fakeLive, liveParticipant, liveRoomState } from '@/features/room/testing/live-fake';
import { roomBackend } from '@/features/room/testing/room-backend';
import { applySession } from '@/lib/session';
import { useToastStore } from '@/stores/toast-store';
import { sessionBody, testUser } from '@/testing/fetch-mock';

const CODE = 'K7QX2MPA';
const MEMBERS = `GET /api/rooms/${CODE}/members`;
const loadFriends: LoadFriends = () => Promise.resolve([]);

const owner = userMember('m_ann', ann, { role: 'owner', joinedAt: '2026-11-23T20:00:00Z' });
const bobM = userMember('m_bob', bob, { joinedAt: '2026-11-23T20:05:00Z' });
const cleoM = userMember('m_cleo', cleo, { joinedAt: '2026-11-23T20:07:00Z' });
const kim = guestMember('m_kim', 'Kim', { joinedAt: '2026-11-23T20:06:00Z' });

/** The socket's view of ann, bob and Kim, matching the member list. */
const inSync = () => [
  liveParticipant('m_ann', 'ann', { role: 'owner', canControl: true }),
  liveParticipant('m_bob', 'bob'),
  liveParticipant('m_kim', 'Kim', { kind: 'guest', userId: null }),
];

const signInAs = (username: string): void => {
  applySession(sessionBody({ accessToken: `${username}-token`, user: { ...testUser, id: `u_${username}`, username } }));
};

function renderRoom(live: ReturnType<typeof fakeLive>, extra: { renderStage?: RenderStage; renderChat?: RenderChat } = {}) {
  const onMemberChange = vi.fn<(member: boolean) => void>();
  const router = createMemoryRouter(
    [
      {
        path: '/r/:code',
        element: (
          <>
            <RoomPage
              code={CODE}
              loginPath={`/login?next=/r/${CODE}`}
              loadFriends={loadFriends}
              live={live}
              onMemberChange={onMemberChange}
              renderStage={extra.renderStage}
              renderChat={extra.renderChat}
            />
            <Toaster />
          </>
        ),
      },
      { path: '/', element: <h1>Home</h1> },
    ],
    { initialEntries: [`/r/${CODE}`] },
  );
  render(<RouterProvider router={router} />);
  return { onMemberChange };
}

const participants = () => screen.queryAllByTestId('participant').map((row) => row.getAttribute('data-member-id'));
const rowOf = (memberId: string): HTMLElement => {
  const row = screen.getAllByTestId('participant').find((entry) => entry.getAttribute('data-member-id') === memberId);
  if (row === undefined) throw new Error(`no row for ${memberId}`);
  return row;
};

async function inRoomAs(
  username: string,
  live: ReturnType<typeof fakeLive>,
  extra: { renderStage?: RenderStage; renderChat?: RenderChat } = {},
) {
  signInAs(username);
  const api = roomBackend({ members: [owner, bobM, kim] });
  const rendered = renderRoom(live, extra);
  await waitFor(() => {
    expect(participants()).toEqual(['m_ann', 'm_bob', 'm_kim']);
  });
  return { api, ...rendered };
}

beforeEach(() => {
  useToastStore.getState().clearToasts();
  window.sessionStorage.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomPage with a live session', () => {
  it('tells the route once the visitor is a member', async () => {
    const { onMemberChange } = await inRoomAs('ann', fakeLive({ participants: inSync() }));
    expect(onMemberChange).toHaveBeenLastCalledWith(true);
  });

  it('shows the connection in the header: connecting, live, reconnecting, and "please reload"', async () => {
    const live = fakeLive({ connection: 'connecting' });
    await inRoomAs('ann', live);
    const state = () => screen.getByTestId('connection-state');
    expect(state()).toHaveAttribute('data-state', 'connecting');
    expect(state()).toHaveTextContent('Connecting…');
    live.update({ connection: 'open' });
    expect(state()).toHaveAttribute('data-state', 'open');
    expect(state()).toHaveTextContent('Live');
    live.update({ connection: 'reconnecting' });
    expect(state()).toHaveAttribute('data-state', 'reconnecting');
    expect(state()).toHaveTextContent('Reconnecting…');
    expect(screen.queryByTestId('live-reload')).not.toBeInTheDocument();
    live.update({ connection: 'closed', endReason: 'incompatible' });
    expect(state()).toHaveAttribute('data-state', 'closed');
    expect(state()).toHaveTextContent('Please reload');
    expect(screen.getByTestId('live-reload')).toHaveTextContent('Please reload the page');
  });

  it('shows presence, buffering and sync health on each row, colour-coded by drift', async () => {
    const live = fakeLive();
    await inRoomAs('ann', live);
    // Before the first participants list: no presence at all.
    expect(within(rowOf('m_bob')).queryByTestId('presence')).not.toBeInTheDocument();
    live.update({
      participants: [
        liveParticipant('m_ann', 'ann', {
          role: 'owner',
          canControl: true,
          health: { driftMs: 12.4, rttMs: 40.2, state: 'playing', atServerTime: 1 },
        }),
        liveParticipant('m_bob', 'bob', {
          buffering: true,
          health: { driftMs: -30, rttMs: 95, state: 'buffering', atServerTime: 1 },
        }),
        liveParticipant('m_kim', 'Kim', {
          kind: 'guest',
          online: false,
          health: { driftMs: 2, rttMs: 20, state: 'playing', atServerTime: 1 },
        }),
      ],
    });

    const annHealth = within(rowOf('m_ann')).getByTestId('sync-health');
    expect(annHealth).toHaveTextContent('12 ms');
    expect(annHealth).toHaveTextContent('RTT 40 ms');
    expect(annHealth).toHaveAttribute('data-level', 'good');
    expect(annHealth).toHaveClass('text-success-text');
    expect(within(rowOf('m_ann')).getByTestId('presence')).toHaveTextContent('online');

    const bobHealth = within(rowOf('m_bob')).getByTestId('sync-health');
    expect(bobHealth).toHaveTextContent('30 ms');
    expect(bobHealth).toHaveAttribute('data-level', 'fair');
    expect(bobHealth).toHaveClass('text-warning-text');
    expect(within(rowOf('m_bob')).getByTestId('participant-buffering')).toHaveTextContent('buffering…');

    // Offline: no dot of health, and "offline" for screen readers.
    expect(within(rowOf('m_kim')).queryByTestId('sync-health')).not.toBeInTheDocument();
    expect(within(rowOf('m_kim')).getByTestId('presence')).toHaveTextContent('offline');
    expect(rowOf('m_kim').querySelector('[data-online]')).toHaveAttribute('data-online', 'false');

    live.update({
      participants: inSync().map((p) =>
        p.memberId === 'm_bob' ? { ...p, health: { driftMs: 80, rttMs: 300, state: 'playing', atServerTime: 2 } } : p,
      ),
    });
    expect(within(rowOf('m_bob')).getByTestId('sync-health')).toHaveAttribute('data-level', 'poor');
    expect(within(rowOf('m_bob')).getByTestId('sync-health')).toHaveClass('text-danger-text');
    expect(within(rowOf('m_bob')).queryByTestId('participant-buffering')).not.toBeInTheDocument();
  });

  it('shows the owner-away banner while the owner is away', async () => {
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    await inRoomAs('bob', live);
    expect(screen.queryByTestId('owner-away')).not.toBeInTheDocument();
    live.update({
      ownerAway: { ownerId: 'u_ann', sinceServerTime: 1, message: 'The owner disconnected. Waiting for them to come back…' },
      room: liveRoomState({ you: 'm_bob', canControl: false, phase: 'OWNER_AWAY' }),
    });
    expect(screen.getByTestId('owner-away')).toHaveTextContent('The owner disconnected. Waiting for them to come back…');
    live.update({ ownerAway: null, room: liveRoomState({ you: 'm_bob', canControl: false, phase: 'PAUSED' }) });
    expect(screen.queryByTestId('owner-away')).not.toBeInTheDocument();
  });

  it('says who playback waits for', async () => {
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    await inRoomAs('bob', live);
    live.update({
      buffering: { waitingFor: ['m_kim'], names: ['Kim'], policy: 'wait_then_continue', waitUntilServerTime: 10 },
    });
    expect(screen.getByTestId('buffering-notice')).toHaveTextContent('Kim is buffering…');
    live.update({
      buffering: { waitingFor: ['m_kim', 'm_bob'], names: ['Kim', 'bob'], policy: 'always_wait', waitUntilServerTime: null },
    });
    expect(screen.getByTestId('buffering-notice')).toHaveTextContent('You and Kim are buffering…');
    live.update({ buffering: { waitingFor: [], names: [], policy: 'always_wait', waitUntilServerTime: null } });
    expect(screen.queryByTestId('buffering-notice')).not.toBeInTheDocument();
  });

  it('toasts ownership changes', async () => {
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    await inRoomAs('bob', live);
    live.update({
      ownerChanged: { newOwnerId: 'u_kim', newOwnerMemberId: 'm_kim', previousOwnerId: 'u_ann', reason: 'auto_handover' },
    });
    expect(await screen.findByText('Ownership passed to Kim')).toBeInTheDocument();
    live.update({
      ownerChanged: { newOwnerId: 'u_bob', newOwnerMemberId: 'm_bob', previousOwnerId: 'u_kim', reason: 'auto_handover' },
    });
    expect(await screen.findByText('You are now the owner')).toBeInTheDocument();
  });

  it('offers the room back, and "Take it back" reclaims it', async () => {
    const live = fakeLive({ participants: inSync() });
    await inRoomAs('ann', live);
    expect(screen.queryByTestId('offer-ownership')).not.toBeInTheDocument();
    live.update({ offer: { currentOwnerId: 'u_bob', expiresAtServerTime: 60_000 } });
    const dialog = await screen.findByRole('dialog', { name: 'Take the room back?' });
    expect(within(dialog).getByTestId('offer-ownership')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(within(dialog).getByRole('button', { name: 'Take it back' }));
    expect(live.reclaimOwnership).toHaveBeenCalledTimes(1);
    // The session drops the offer once answered (or expired).
    live.update({ offer: null });
    await waitFor(() => {
      expect(screen.queryByTestId('offer-ownership')).not.toBeInTheDocument();
    });
  });

  it('says why a reclaim failed, and "Not now" puts the offer away', async () => {
    const live = fakeLive({ participants: inSync() });
    live.reclaimOwnership.mockRejectedValueOnce(new Error('there is no ownership to take back'));
    await inRoomAs('ann', live);
    live.update({ offer: { currentOwnerId: 'u_bob', expiresAtServerTime: 60_000 } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Take it back' }));
    expect(await screen.findByText('Could not take the room back')).toBeInTheDocument();
    expect(screen.getByText('there is no ownership to take back')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.queryByTestId('offer-ownership')).not.toBeInTheDocument();
    });

    live.update({ offer: { currentOwnerId: 'u_bob', expiresAtServerTime: 90_000 } });
    await user.click(await screen.findByRole('button', { name: 'Not now' }));
    await waitFor(() => {
      expect(screen.queryByTestId('offer-ownership')).not.toBeInTheDocument();
    });
  });

  it.each([
    ['kicked', 'spoilers', 'kicked'],
    ['banned', 'rude', 'banned'],
    ['room_ended', '', 'ended'],
  ])('turns into the %s card as soon as the socket says so', async (reason, detail, kind) => {
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    const { api, onMemberChange } = await inRoomAs('bob', live);
    const reads = api.calls(MEMBERS).length;
    live.update({ removed: { reason, message: 'You are out.', detail }, connection: 'closed', endReason: 'removed' });
    expect(screen.getByTestId('room-state')).toHaveAttribute('data-state', kind);
    if (detail) expect(screen.getByTestId('removal-reason')).toHaveTextContent(detail);
    else expect(screen.queryByTestId('removal-reason')).not.toBeInTheDocument();
    expect(api.calls(MEMBERS)).toHaveLength(reads);
    expect(onMemberChange).toHaveBeenLastCalledWith(false);
  });

  it('asks the server when removed for another reason (left in another tab)', async () => {
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    const { api } = await inRoomAs('bob', live);
    api.remove('m_bob', { kind: 'kicked', reason: '' });
    live.update({ removed: { reason: 'left', message: 'You left the room.', detail: '' }, connection: 'closed', endReason: 'removed' });
    expect(await screen.findByTestId('room-state')).toHaveAttribute('data-state', 'kicked');
  });

  it('polls every 15 s with the socket open, and every 3 s again when it drops', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const live = fakeLive({ participants: inSync() });
    const { api } = await inRoomAs('ann', live);
    expect(api.calls(MEMBERS)).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ROOM_POLL_MS * 2);
    });
    expect(api.calls(MEMBERS)).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ROOM_LIVE_POLL_MS - ROOM_POLL_MS * 2);
    });
    expect(api.calls(MEMBERS)).toHaveLength(2);

    live.update({ connection: 'reconnecting' });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ROOM_POLL_MS);
    });
    expect(api.calls(MEMBERS)).toHaveLength(3);
  });

  it('reads the members at once when the socket lists someone new, or a role moved', async () => {
    const live = fakeLive({ participants: inSync() });
    const { api } = await inRoomAs('ann', live);
    expect(api.calls(MEMBERS)).toHaveLength(1);
    api.add(cleoM);
    live.update({ participants: [...inSync(), liveParticipant('m_cleo', 'cleo')] });
    await waitFor(() => {
      expect(participants()).toEqual(['m_ann', 'm_bob', 'm_kim', 'm_cleo']);
    });
    expect(api.calls(MEMBERS)).toHaveLength(2);
    // The same list again: nothing more to ask.
    live.update({ participants: [...inSync(), liveParticipant('m_cleo', 'cleo')] });
    expect(api.calls(MEMBERS)).toHaveLength(2);

    // Bob got control: the list is read again.
    live.update({
      participants: [...inSync(), liveParticipant('m_cleo', 'cleo')].map((p) =>
        p.memberId === 'm_bob' ? { ...p, canControl: true } : p,
      ),
    });
    await waitFor(() => {
      expect(api.calls(MEMBERS)).toHaveLength(3);
    });
  });

  it('puts the player in the stage, telling it whether this viewer may control playback', async () => {
    const renderStage = vi.fn<RenderStage>(({ canControl }) => <p data-testid="player">{canControl ? 'control' : 'watch'}</p>);
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    await inRoomAs('bob', live, { renderStage });
    expect(within(screen.getByTestId('room-stage')).getByTestId('player')).toHaveTextContent('watch');
    expect(screen.queryByText('Nothing is playing yet')).not.toBeInTheDocument();
    live.update({ room: liveRoomState({ you: 'm_bob', canControl: true }) });
    expect(screen.getByTestId('player')).toHaveTextContent('control');
  });

  it('puts the chat beside the stage, telling the player and the chat who is looking', async () => {
    const renderStage = vi.fn<RenderStage>(() => <p data-testid="player">player</p>);
    const renderChat = vi.fn<RenderChat>(({ viewer }) => <p data-testid="chat">{`${viewer.userId ?? 'guest'}:${viewer.owner}`}</p>);
    const live = fakeLive({ participants: inSync(), room: liveRoomState({ you: 'm_bob', canControl: false }) });
    await inRoomAs('bob', live, { renderStage, renderChat });
    expect(screen.getByTestId('chat')).toHaveTextContent('u_bob:false');
    expect(renderStage).toHaveBeenLastCalledWith({ canControl: false, viewer: { memberId: 'm_bob', userId: 'u_bob', owner: false } });
    // Beside the stage, with the participants (not in the stage).
    expect(within(screen.getByTestId('room-stage')).queryByTestId('chat')).not.toBeInTheDocument();
  });
});
