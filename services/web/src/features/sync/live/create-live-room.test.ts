import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FakeWebSocket } from '../testing/fake-web-socket';
import { roomState } from '../testing/live-fixtures';
import { command, playbackState } from '../testing/sim-world';

import { createLiveRoom, type LiveRoomOptions } from './create-live-room';
import type { LiveRoom } from './live-room';
import type { GetToken } from './room-socket';
import { useLiveRoom, useLiveSnapshot } from './use-live-room';

const SERVER_TIME = 1_767_225_600_000;
const flush = () => vi.advanceTimersByTimeAsync(0);
const getToken: GetToken = () => Promise.resolve('token-1');

function open(options: Partial<LiveRoomOptions> = {}): LiveRoom {
  return createLiveRoom({
    code: 'K7QX2MPA',
    getToken,
    clock: { now: () => Date.now() },
    socket: { url: 'ws://watch.test/ws', clientId: 'c_tab', WebSocket: FakeWebSocket, random: () => 0.5 },
    ...options,
  });
}

/** A live room through hello and join, with a clock 10 minutes behind the server's. */
async function joined(heartbeatMs = 3000): Promise<{ live: LiveRoom; ws: FakeWebSocket }> {
  const live = open();
  await flush();
  const ws = FakeWebSocket.last;
  ws.accept({ ownerHeartbeatMs: heartbeatMs, serverTime: SERVER_TIME });
  await flush();
  return { live, ws };
}

let live: LiveRoom | null = null;

beforeEach(() => {
  vi.useFakeTimers({ now: SERVER_TIME - 600_000 });
  FakeWebSocket.reset();
});

afterEach(() => {
  live?.close();
  live = null;
  vi.useRealTimers();
});

describe('createLiveRoom', () => {
  it('feeds every frame to the engine and keeps the snapshot', async () => {
    const r = await joined();
    live = r.live;
    expect(live.getSnapshot().connection).toBe('open');
    expect(live.engine.getSnapshot().connected).toBe(true);
    const listener = vi.fn();
    live.subscribe(listener);

    const state = playbackState({ sequenceNumber: 7, anchorServerTime: SERVER_TIME });
    r.ws.receive({ type: 'room:state', data: roomState() });
    r.ws.receive({ type: 'sync:state_snapshot', data: { state, serverTime: SERVER_TIME } });
    expect(live.engine.getSnapshot().lastSequence).toBe(7);
    expect(live.getSnapshot().room?.you).toBe('m_bob');
    expect(listener).toHaveBeenCalled();
    // The engine pings on the room's socket.
    expect(r.ws.framesOf('time:ping').length).toBeGreaterThan(0);
  });

  it('stops the engine when the socket drops, and rejoins with the engine’s last sequence', async () => {
    const r = await joined();
    live = r.live;
    const state = playbackState({ sequenceNumber: 3, anchorServerTime: SERVER_TIME });
    r.ws.receive({ type: 'sync:state_snapshot', data: { state, serverTime: SERVER_TIME } });
    r.ws.receive({ type: 'sync:command', data: command({ ...state, sequenceNumber: 4, isPlaying: true }) });
    expect(live.engine.getSnapshot().lastSequence).toBe(4);

    r.ws.serverClose(1006);
    expect(live.getSnapshot().connection).toBe('reconnecting');
    expect(live.engine.getSnapshot().connected).toBe(false);
    // Its state is kept for the rejoin.
    expect(live.engine.getSnapshot().lastSequence).toBe(4);

    await vi.advanceTimersByTimeAsync(250);
    const next = FakeWebSocket.last;
    expect(next).not.toBe(r.ws);
    next.open();
    next.hello({ serverTime: SERVER_TIME + 1000 });
    expect(next.framesOf('room:join')[0]?.data).toEqual({ roomCode: 'K7QX2MPA', lastSequence: 4 });
    next.ack('room:join');
    await flush();
    expect(live.getSnapshot().connection).toBe('open');
    expect(live.engine.getSnapshot().connected).toBe(true);
  });

  it('stops the engine and keeps the reason when you are removed', async () => {
    const r = await joined();
    live = r.live;
    r.ws.receive({ type: 'room:removed', data: { reason: 'banned', message: 'The owner banned you.', detail: 'rude' } });
    r.ws.serverClose(4403);
    const snapshot = live.getSnapshot();
    expect(snapshot.removed).toEqual({ reason: 'banned', message: 'The owner banned you.', detail: 'rude' });
    expect(snapshot.connection).toBe('closed');
    expect(snapshot.endReason).toBe('removed');
    expect(live.engine.getSnapshot().connected).toBe(false);
  });

  it('says so when the server needs a newer client', async () => {
    live = open();
    await flush();
    FakeWebSocket.last.open();
    FakeWebSocket.last.hello({ compatible: false, upgradeRequired: true });
    FakeWebSocket.last.serverClose(4000);
    expect(live.getSnapshot()).toMatchObject({ connection: 'closed', endReason: 'incompatible' });
    expect(live.engine.getSnapshot().upgradeRequired).toBe(true);
  });
});

describe('owner heartbeat', () => {
  const heartbeats = (ws: FakeWebSocket) => ws.framesOf('owner:heartbeat');

  it('goes out every ownerHeartbeatMs (from hello) while you are the owner', async () => {
    const r = await joined(3000);
    live = r.live;
    r.ws.receive({ type: 'room:state', data: roomState({ you: 'm_ann' }) });
    await vi.advanceTimersByTimeAsync(2999);
    expect(heartbeats(r.ws)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(heartbeats(r.ws)).toEqual([{ type: 'owner:heartbeat', data: {} }]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(heartbeats(r.ws)).toHaveLength(3);
  });

  it('is never sent by a member who is not the owner', async () => {
    const r = await joined(3000);
    live = r.live;
    r.ws.receive({ type: 'room:state', data: roomState({ you: 'm_bob' }) });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(heartbeats(r.ws)).toHaveLength(0);
  });

  it('follows ownership changes both ways', async () => {
    const r = await joined(3000);
    live = r.live;
    r.ws.receive({ type: 'room:state', data: roomState({ you: 'm_bob' }) });
    r.ws.receive({
      type: 'room:owner_changed',
      data: { newOwnerId: 'u_bob', newOwnerMemberId: 'm_bob', previousOwnerId: 'u_ann', reason: 'auto_handover' },
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(heartbeats(r.ws)).toHaveLength(1);
    r.ws.receive({
      type: 'room:owner_changed',
      data: { newOwnerId: 'u_ann', newOwnerMemberId: 'm_ann', previousOwnerId: 'u_bob', reason: 'reclaimed' },
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(heartbeats(r.ws)).toHaveLength(1);
  });

  it('pauses while the socket is down and resumes on the new one', async () => {
    const r = await joined(3000);
    live = r.live;
    r.ws.receive({ type: 'room:state', data: roomState({ you: 'm_ann' }) });
    r.ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(250);
    const next = FakeWebSocket.last;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(heartbeats(r.ws)).toHaveLength(0);
    expect(next.sent).toEqual([]);
    next.accept({ ownerHeartbeatMs: 3000 });
    await flush();
    await vi.advanceTimersByTimeAsync(3000);
    expect(heartbeats(next)).toHaveLength(1);
  });
});

describe('ownership offer', () => {
  it('reclaims with owner:reclaim and drops the offer once acknowledged', async () => {
    const r = await joined();
    live = r.live;
    r.ws.receive({ type: 'room:state', data: roomState({ you: 'm_ann', ownerId: 'u_bob', ownerMemberId: 'm_bob' }) });
    r.ws.receive({ type: 'room:offer_ownership', data: { currentOwnerId: 'u_bob', expiresAtServerTime: SERVER_TIME + 60_000 } });
    expect(live.getSnapshot().offer).not.toBeNull();
    const reclaim = live.reclaimOwnership();
    expect(r.ws.framesOf('owner:reclaim')[0]).toMatchObject({ type: 'owner:reclaim', data: {} });
    r.ws.ack('owner:reclaim');
    await reclaim;
    expect(live.getSnapshot().offer).toBeNull();
  });

  it('rejects with the server’s error and keeps the offer', async () => {
    const r = await joined();
    live = r.live;
    r.ws.receive({ type: 'room:offer_ownership', data: { currentOwnerId: 'u_bob', expiresAtServerTime: SERVER_TIME + 60_000 } });
    const reclaim = live.reclaimOwnership();
    const id = r.ws.framesOf('owner:reclaim')[0]?.id;
    r.ws.receive({ type: 'room:error', id, data: { code: 'no_offer', message: 'there is no ownership to take back', retryAfter: null, currentSequence: null } });
    await expect(reclaim).rejects.toMatchObject({ code: 'no_offer' });
    expect(live.getSnapshot().offer).not.toBeNull();
  });

  it('expires at expiresAtServerTime, on the server’s clock', async () => {
    const r = await joined();
    live = r.live;
    // The hello said the server is 10 minutes ahead of this tab.
    r.ws.receive({ type: 'room:offer_ownership', data: { currentOwnerId: 'u_bob', expiresAtServerTime: SERVER_TIME + 20_000 } });
    await vi.advanceTimersByTimeAsync(19_900);
    expect(live.getSnapshot().offer).not.toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    expect(live.getSnapshot().offer).toBeNull();
  });
});

describe('useLiveRoom', () => {
  it('opens the session only while enabled and closes it on unmount', async () => {
    const token = vi.fn<GetToken>(() => Promise.resolve('token-1'));
    const { result, rerender, unmount } = renderHook(
      ({ enabled }: { enabled: boolean }) => {
        const room = useLiveRoom('K7QX2MPA', token, enabled);
        return { room, snapshot: useLiveSnapshot(room) };
      },
      { initialProps: { enabled: false } },
    );
    expect(result.current.room).toBeNull();
    expect(result.current.snapshot).toBeNull();
    vi.stubGlobal('WebSocket', FakeWebSocket);

    rerender({ enabled: true });
    expect(result.current.room).not.toBeNull();
    expect(result.current.snapshot?.connection).toBe('connecting');
    await act(async () => {
      await flush();
    });
    expect(token).toHaveBeenCalledWith({ refresh: false });
    const ws = FakeWebSocket.last;
    expect(ws.url).toMatch(/^ws:\/\/.+\/ws$/);
    await act(async () => {
      ws.accept();
      await flush();
    });
    expect(result.current.snapshot?.connection).toBe('open');

    unmount();
    expect(ws.closedWith?.code).toBe(1000);
  });
});
