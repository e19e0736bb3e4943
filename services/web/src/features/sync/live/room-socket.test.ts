import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { PROTOCOL_VERSION, type ServerFrame } from '@/lib/protocol/v1.gen';

import { FakeWebSocket } from '../testing/fake-web-socket';

import { LiveError } from './live-room';
import {
  backoffDelay,
  CLIENT_ID_KEY,
  RoomSocket,
  socketUrl,
  tabClientId,
  type GetToken,
  type RoomSocketOptions,
  type RoomSocketStatus,
} from './room-socket';

const flush = () => vi.advanceTimersByTimeAsync(0);

function rig(options: Partial<RoomSocketOptions> = {}) {
  const frames: ServerFrame[] = [];
  const statuses: RoomSocketStatus[] = [];
  let lastSequence: number | null = null;
  const getToken = vi.fn<GetToken>(({ refresh }) => Promise.resolve(refresh ? 'fresh-token' : 'token-1'));
  const socket = new RoomSocket({
    roomCode: 'K7QX2MPA',
    getToken,
    onFrame: (frame) => frames.push(frame),
    onStatus: (status) => statuses.push(status),
    lastSequence: () => lastSequence,
    url: 'ws://watch.test/ws',
    clientId: 'c_tab',
    WebSocket: FakeWebSocket,
    random: () => 0.5,
    ...options,
  });
  return {
    socket,
    frames,
    statuses,
    getToken,
    setLastSequence: (value: number | null) => {
      lastSequence = value;
    },
    connection: () => socket.status.connection,
  };
}

/** Start and get through hello and join on the first socket. */
async function opened(options: Partial<RoomSocketOptions> = {}) {
  const r = rig(options);
  r.socket.start();
  await flush();
  FakeWebSocket.last.accept();
  await flush();
  return r;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomSocket handshake', () => {
  it('says hello first, joins after the server’s hello, and is open once the join is acknowledged', async () => {
    const r = rig();
    r.socket.start();
    await flush();
    expect(r.getToken).toHaveBeenCalledWith({ refresh: false });
    const ws = FakeWebSocket.last;
    expect(ws.url).toBe('ws://watch.test/ws');
    ws.open();
    expect(ws.frames).toEqual([
      {
        type: 'hello',
        data: { protocolVersion: PROTOCOL_VERSION, clientId: 'c_tab', capabilities: ['seek', 'rate_change'], token: 'token-1' },
      },
    ]);
    ws.hello();
    expect(ws.frames[1]).toEqual({ type: 'room:join', data: { roomCode: 'K7QX2MPA' }, id: 'r1' });
    expect(r.connection()).toBe('connecting');
    ws.ack('room:join');
    await flush();
    expect(r.connection()).toBe('open');
    expect(r.statuses).toEqual([{ connection: 'open', endReason: null }]);
    // Every frame reaches the caller, the server's hello and the ack included.
    expect(r.frames.map((frame) => frame.type)).toEqual(['hello', 'ack']);
  });

  it('does not connect without a token (signed out, guest session gone)', async () => {
    const r = rig({ getToken: vi.fn<GetToken>(() => Promise.resolve(null)) });
    r.socket.start();
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: 'auth' });
  });

  it('closes for good on an incompatible hello and on close code 4000: the page must be reloaded', async () => {
    const r = rig();
    r.socket.start();
    await flush();
    FakeWebSocket.last.open();
    FakeWebSocket.last.hello({ compatible: false, upgradeRequired: true });
    FakeWebSocket.last.serverClose(4000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.last.framesOf('room:join')).toHaveLength(0);
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: 'incompatible' });
  });
});

describe('RoomSocket requests', () => {
  it('resolves with the ack of the same id, and rejects with the room:error of the same id', async () => {
    const r = await opened();
    const ws = FakeWebSocket.last;
    const play = r.socket.request('sync:play', {});
    const seek = r.socket.request('sync:seek', { targetMediaTime: 1000, expectedSequence: 3 });
    const [playFrame, seekFrame] = [ws.framesOf('sync:play')[0], ws.framesOf('sync:seek')[0]];
    expect(playFrame?.id).toBe('r2');
    expect(seekFrame).toEqual({ type: 'sync:seek', data: { targetMediaTime: 1000, expectedSequence: 3 }, id: 'r3' });

    ws.receive({
      type: 'room:error',
      id: 'r3',
      data: { code: 'conflict', message: 'the room moved on', retryAfter: null, currentSequence: 5 },
    });
    ws.receive({ type: 'ack', id: 'r2', data: { sequenceNumber: 4, duplicate: false, commandId: 'cmd_4', message: null } });
    await expect(play).resolves.toEqual({ sequenceNumber: 4, duplicate: false, commandId: 'cmd_4', message: null });
    const error = await seek.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiveError);
    expect(error).toMatchObject({ code: 'conflict', message: 'the room moved on', currentSequence: 5 });
  });

  it('rejects with `timeout` when nothing answers, and ignores a late answer', async () => {
    const r = await opened();
    const reclaim = r.socket.request('owner:reclaim', {}, 1000).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(999);
    let settled = false;
    void reclaim.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await reclaim).toMatchObject({ code: 'timeout' });
    FakeWebSocket.last.ack('owner:reclaim');
    expect(r.connection()).toBe('open');
  });

  it('rejects at once when not open, and rejects what is still out when the socket drops', async () => {
    const r = rig();
    await expect(r.socket.request('sync:play', {})).rejects.toMatchObject({ code: 'disconnected' });
    r.socket.start();
    await flush();
    FakeWebSocket.last.accept();
    await flush();
    const pending = r.socket.request('sync:pause', {});
    FakeWebSocket.last.serverClose(1006);
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('answers a chat history request with the chat:history of the same id', async () => {
    const r = await opened();
    const ws = FakeWebSocket.last;
    const page = r.socket.requestHistory({ beforeId: 'msg_b', limit: 50 });
    const frame = ws.framesOf('chat:history_request')[0];
    expect(frame).toEqual({ type: 'chat:history_request', data: { beforeId: 'msg_b', limit: 50 }, id: 'r2' });
    // A history without an id (the join's) is not the answer.
    ws.receive({ type: 'chat:history', data: { messages: [], hasMore: true } });
    ws.receive({ type: 'chat:history', id: 'r2', data: { messages: [], hasMore: false } });
    await expect(page).resolves.toEqual({ messages: [], hasMore: false });
    expect(r.frames.filter((f) => f.type === 'chat:history')).toHaveLength(2);

    const refused = r.socket.requestHistory({ beforeId: 'msg_gone' });
    ws.receive({
      type: 'room:error',
      id: ws.framesOf('chat:history_request')[1]?.id,
      data: { code: 'message_not_found', message: 'no such message', retryAfter: null, currentSequence: null },
    });
    await expect(refused).rejects.toMatchObject({ code: 'message_not_found' });
  });

  it('drops frames sent while the socket is not open', async () => {
    const r = rig();
    r.socket.send({ type: 'owner:heartbeat', data: {} });
    r.socket.start();
    await flush();
    r.socket.send({ type: 'owner:heartbeat', data: {} });
    expect(FakeWebSocket.last.sent).toEqual([]);
  });
});

describe('RoomSocket reconnects', () => {
  it('backs off exponentially with full jitter, from 0.5 s up to 15 s, and starts over once joined', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => backoffDelay(attempt, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
    expect(backoffDelay(3, () => 0.25)).toBe(1000);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it('waits a jittered, growing delay after each unexpected close', async () => {
    const r = await opened();
    FakeWebSocket.last.serverClose(1006);
    expect(r.connection()).toBe('reconnecting');
    // random() = 0.5: half of 500 ms.
    await vi.advanceTimersByTimeAsync(249);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    // It fails again before joining: half of 1 s this time, then half of 2 s.
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeWebSocket.instances).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(4);

    // Joined: the next drop starts from 0.5 s again.
    FakeWebSocket.last.accept();
    await flush();
    expect(r.connection()).toBe('open');
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeWebSocket.instances).toHaveLength(5);
    expect(r.statuses.map((status) => status.connection)).toEqual([
      'open',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'open',
      'reconnecting',
    ]);
  });

  it('rejoins with the last sequence it applied', async () => {
    const r = await opened();
    expect(FakeWebSocket.last.framesOf('room:join')[0]?.data).toEqual({ roomCode: 'K7QX2MPA' });
    r.setLastSequence(42);
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(250);
    const ws = FakeWebSocket.last;
    ws.open();
    expect(ws.frames.map((frame) => frame.type)).toEqual(['hello']);
    ws.hello({ serverId: 'gw-2' });
    expect(ws.framesOf('room:join')[0]?.data).toEqual({ roomCode: 'K7QX2MPA', lastSequence: 42 });
  });

  it('rejoins with the newest chat message it holds', async () => {
    let lastMessageId: string | null = null;
    await opened({ lastMessageId: () => lastMessageId });
    expect(FakeWebSocket.last.framesOf('room:join')[0]?.data).toEqual({ roomCode: 'K7QX2MPA' });
    lastMessageId = 'msg_0000000000120000000000000000';
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(250);
    const ws = FakeWebSocket.last;
    ws.open();
    ws.hello();
    expect(ws.framesOf('room:join')[0]?.data).toEqual({ roomCode: 'K7QX2MPA', lastMessageId: 'msg_0000000000120000000000000000' });
  });

  it('waits `reconnectIn` plus jitter after server:shutdown', async () => {
    const r = await opened();
    FakeWebSocket.last.receive({ type: 'server:shutdown', data: { reconnectIn: 2000 } });
    FakeWebSocket.last.serverClose(1012);
    expect(r.connection()).toBe('reconnecting');
    // 2000 + 0.5 × 1000.
    await vi.advanceTimersByTimeAsync(2499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    // The shutdown counted once: an ordinary drop afterwards backs off as usual.
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it.each([
    [4403, 'removed'],
    [4000, 'incompatible'],
  ] as const)('never reconnects after close code %i', async (code, reason) => {
    const r = await opened();
    FakeWebSocket.last.serverClose(code);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: reason });
  });

  it('never reconnects after room:removed, whatever the close code', async () => {
    const r = await opened();
    FakeWebSocket.last.receive({
      type: 'room:removed',
      data: { reason: 'signed_out', message: 'You were signed out.', detail: '' },
    });
    FakeWebSocket.last.serverClose(4401);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: 'removed' });
    expect(r.frames.at(-1)?.type).toBe('room:removed');
  });

  it('never reconnects after close(), even with a reconnect pending', async () => {
    const r = await opened();
    FakeWebSocket.last.serverClose(1006);
    r.socket.close();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: 'closed' });
  });

  it('closes its open socket on close(), and one still connecting once it opens', async () => {
    const r = await opened();
    r.socket.close();
    expect(FakeWebSocket.last.closedWith?.code).toBe(1000);

    const s = rig();
    s.socket.start();
    await flush();
    s.socket.close();
    const connecting = FakeWebSocket.last;
    expect(connecting.closedWith).toBeNull();
    connecting.open();
    expect(connecting.closedWith?.code).toBe(1000);
    expect(connecting.sent).toEqual([]);
  });

  it('fetches a fresh token once after a 4401 and retries at once; a second 4401 gives up', async () => {
    const r = await opened();
    expect(FakeWebSocket.last.framesOf('hello')[0]?.data.token).toBe('token-1');
    FakeWebSocket.last.serverClose(4401);
    await flush();
    expect(r.getToken).toHaveBeenLastCalledWith({ refresh: true });
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.framesOf('hello')[0]?.data.token).toBe('fresh-token');
    // Refused again, before any hello: signed out.
    FakeWebSocket.last.serverClose(4401);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: 'auth' });
  });

  it('may refresh the token again after a session that got in with the fresh one', async () => {
    const r = await opened();
    FakeWebSocket.last.serverClose(4401);
    await flush();
    FakeWebSocket.last.accept();
    await flush();
    expect(r.connection()).toBe('open');
    FakeWebSocket.last.serverClose(4401);
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(r.getToken.mock.calls.map(([options]) => options.refresh)).toEqual([false, true, true]);
  });

  it('gives up when the server refuses the join for good, and retries when it was only busy', async () => {
    const r = await opened();
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(250);
    let ws = FakeWebSocket.last;
    ws.open();
    ws.hello();
    ws.receive({ type: 'room:error', id: ws.framesOf('room:join')[0]?.id, data: { code: 'unavailable', message: 'busy', retryAfter: null, currentSequence: null } });
    await flush();
    expect(ws.closedWith?.code).toBe(1000);
    expect(r.connection()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500);
    ws = FakeWebSocket.last;
    expect(FakeWebSocket.instances).toHaveLength(3);
    ws.open();
    ws.hello();
    ws.receive({ type: 'room:error', id: ws.framesOf('room:join')[0]?.id, data: { code: 'not_member', message: 'join it first', retryAfter: null, currentSequence: null } });
    await flush();
    expect(r.socket.status).toEqual({ connection: 'closed', endReason: 'refused' });
  });

  it('keeps going while the tab is hidden', async () => {
    const r = await opened();
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    r.socket.send({ type: 'owner:heartbeat', data: {} });
    expect(FakeWebSocket.last.framesOf('owner:heartbeat')).toHaveLength(1);
    expect(r.connection()).toBe('open');
  });

  it('ignores frames that are not JSON objects', async () => {
    const r = await opened();
    FakeWebSocket.last.onmessage?.({ data: 'not json' } as MessageEvent);
    FakeWebSocket.last.onmessage?.({ data: '42' } as MessageEvent);
    expect(r.frames.map((frame) => frame.type)).toEqual(['hello', 'ack']);
  });
});

describe('socket address and client id', () => {
  it('uses the page’s origin, the scheme following the page', () => {
    const config = { apiBaseUrl: '/api', wsUrl: '/ws' };
    expect(socketUrl(config, { protocol: 'https:', host: 'watch.example.com' })).toBe('wss://watch.example.com/ws');
    expect(socketUrl(config, { protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/ws');
  });

  it('follows an absolute API base, and an absolute socket URL wins', () => {
    const page = { protocol: 'http:', host: 'localhost:5173' };
    expect(socketUrl({ apiBaseUrl: 'https://api.example.com/api', wsUrl: '/ws' }, page)).toBe('wss://api.example.com/ws');
    expect(socketUrl({ apiBaseUrl: 'https://api.example.com/api', wsUrl: 'wss://rt.example.com/ws' }, page)).toBe(
      'wss://rt.example.com/ws',
    );
  });

  it('keeps one random client id per tab', () => {
    window.sessionStorage.clear();
    const id = tabClientId();
    expect(id).toMatch(/^c_/);
    expect(window.sessionStorage.getItem(CLIENT_ID_KEY)).toBe(id);
    expect(tabClientId()).toBe(id);
    window.sessionStorage.clear();
    expect(tabClientId()).not.toBe(id);
  });
});
