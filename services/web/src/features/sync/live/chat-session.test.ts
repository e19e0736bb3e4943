import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Ack, ChatMessage, ClientFrame } from '@/lib/protocol/v1.gen';
import { chatMessage, chatMessageId, tombstone } from '@/testing/chat-fixtures';

import { FakeWebSocket } from '../testing/fake-web-socket';

import { chatOutboxKey, createChatOutbox, type ChatOutbox } from './chat-outbox';
import { CHAT_SEND_TIMEOUT_MS, GAP_WAIT_MS } from './chat-session';
import { createLiveRoom } from './create-live-room';
import { LiveError, type LiveRoomWithChat } from './live-room';
import type { GetToken } from './room-socket';

const NOW = 1_767_225_600_000;
const flush = () => vi.advanceTimersByTimeAsync(0);
const getToken: GetToken = () => Promise.resolve('token-1');

let live: LiveRoomWithChat | null = null;

interface Tab {
  /** Whom the socket's `hello` names (empty: a guest). */
  userId?: string;
  /** This page's outbox (none: memory only). */
  outbox?: ChatOutbox;
  /** Prefix of this page's client message ids. */
  idPrefix?: string;
}

/** A live room opened, its socket not answered yet. */
async function opened({ outbox, idPrefix = 'cm' }: Tab = {}): Promise<LiveRoomWithChat> {
  let n = 0;
  const room = createLiveRoom({
    code: 'K7QX2MPA',
    getToken,
    clock: { now: () => Date.now() },
    socket: { url: 'ws://watch.test/ws', clientId: 'c_tab', WebSocket: FakeWebSocket, random: () => 0.5 },
    chat: { newId: () => `${idPrefix}-${++n}`, outbox },
  });
  live = room;
  await flush();
  return room;
}

async function joined(tab: Tab = {}): Promise<{ live: LiveRoomWithChat; ws: FakeWebSocket }> {
  const room = await opened(tab);
  const ws = FakeWebSocket.last;
  ws.accept({ userId: tab.userId ?? 'u_ann' });
  await flush();
  return { live: room, ws };
}

/** The last request of `type` the client sent. */
function lastRequest<T extends ClientFrame['type']>(ws: FakeWebSocket, type: T): Extract<ClientFrame, { type: T }> {
  const frame = ws.framesOf(type).at(-1);
  if (frame === undefined) throw new Error(`no ${type} was sent`);
  return frame;
}

function ackWith(ws: FakeWebSocket, request: ClientFrame, patch: Partial<Ack>): void {
  ws.receive({ type: 'ack', id: request.id, data: { sequenceNumber: null, duplicate: false, commandId: null, message: null, ...patch } });
}

function refuse(ws: FakeWebSocket, request: ClientFrame, code: string, message: string, retryAfter: number | null = null): void {
  ws.receive({ type: 'room:error', id: request.id, data: { code, message, retryAfter, currentSequence: null } });
}

/** The stored form of a message ann sent. */
function storedFrom(request: Extract<ClientFrame, { type: 'chat:message' }>, seq: number): ChatMessage {
  return chatMessage(seq, {
    authorUserId: 'u_ann',
    authorName: 'ann',
    content: request.data.content,
    clientMessageId: request.data.clientMessageId,
  });
}

/** Drop the socket and bring a new one up to `hello`; the join is left to the test. */
async function reconnect(ws: FakeWebSocket): Promise<FakeWebSocket> {
  ws.serverClose(1006);
  await vi.advanceTimersByTimeAsync(1000);
  const next = FakeWebSocket.last;
  expect(next).not.toBe(ws);
  next.open();
  next.hello({ userId: 'u_ann' });
  return next;
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  FakeWebSocket.reset();
});

afterEach(() => {
  live?.close();
  live = null;
  vi.useRealTimers();
});

describe('the chat store', () => {
  it('takes the history on join, and live messages, without telling the room snapshot', async () => {
    const r = await joined();
    const chatListener = vi.fn();
    const roomListener = vi.fn();
    r.live.chat.subscribe(chatListener);
    r.live.subscribe(roomListener);

    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1), chatMessage(2)], hasMore: true } });
    r.ws.receive({ type: 'chat:message', data: chatMessage(3) });
    r.ws.receive({ type: 'chat:message', data: chatMessage(3) });
    r.ws.receive({ type: 'chat:message', data: tombstone(chatMessage(1)) });

    const chat = r.live.chat.getSnapshot();
    expect(chat.messages.map((m) => [m.seq, m.deleted])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    expect(chat).toMatchObject({ loaded: true, hasMore: true });
    expect(chatListener).toHaveBeenCalledTimes(3);
    expect(roomListener).not.toHaveBeenCalled();
  });

  it('rejoins with lastMessageId and applies the catch-up, then reloads the latest page for tombstones', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1), chatMessage(2)], hasMore: false } });
    const next = await reconnect(r.ws);
    expect(lastRequest(next, 'room:join').data).toEqual({ roomCode: 'K7QX2MPA', lastMessageId: chatMessageId(2) });
    next.ack('room:join');
    await flush();
    next.receive({ type: 'chat:catchup', data: { messages: [chatMessage(3), chatMessage(4)], complete: true } });
    await flush();
    expect(r.live.chat.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);

    const reload = lastRequest(next, 'chat:history_request');
    expect(reload.data).toEqual({ limit: 50 });
    next.receive({
      type: 'chat:history',
      id: reload.id,
      data: { messages: [tombstone(chatMessage(1)), chatMessage(2), chatMessage(3), chatMessage(4)], hasMore: false },
    });
    await flush();
    expect(r.live.chat.getSnapshot().messages[0]?.deleted).toBe(true);
  });

  it('reloads the latest page when the catch-up is not complete', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    const next = await reconnect(r.ws);
    next.ack('room:join');
    await flush();
    next.receive({ type: 'chat:catchup', data: { messages: [chatMessage(2)], complete: false } });
    await flush();
    const reload = lastRequest(next, 'chat:history_request');
    expect(reload.data).toEqual({ limit: 50 });
    const page = Array.from({ length: 50 }, (_, i) => chatMessage(500 + i));
    next.receive({ type: 'chat:history', id: reload.id, data: { messages: page, hasMore: true } });
    await flush();
    const chat = r.live.chat.getSnapshot();
    // Far past what was held: the hole is dropped, and older messages are there to load.
    expect(chat.messages.map((m) => m.seq)).toEqual(page.map((m) => m.seq));
    expect(chat.hasMore).toBe(true);
  });

  it('reloads the latest page when a hole in seq lasts', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    r.ws.receive({ type: 'chat:message', data: chatMessage(3) });
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS - 1);
    expect(r.ws.framesOf('chat:history_request')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const reload = lastRequest(r.ws, 'chat:history_request');
    r.ws.receive({ type: 'chat:history', id: reload.id, data: { messages: [chatMessage(1), chatMessage(2), chatMessage(3)], hasMore: false } });
    await flush();
    expect(r.live.chat.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('waits out a hole that fills itself (two posts out of order)', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    r.ws.receive({ type: 'chat:message', data: chatMessage(3) });
    r.ws.receive({ type: 'chat:message', data: chatMessage(2) });
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS * 2);
    expect(r.ws.framesOf('chat:history_request')).toHaveLength(0);
  });

  it('loads older messages with beforeId', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(51), chatMessage(52)], hasMore: true } });
    const loading = r.live.chat.loadOlder();
    expect(r.live.chat.getSnapshot().loadingOlder).toBe(true);
    // One at a time.
    void r.live.chat.loadOlder();
    const request = lastRequest(r.ws, 'chat:history_request');
    expect(r.ws.framesOf('chat:history_request')).toHaveLength(1);
    expect(request.data).toEqual({ beforeId: chatMessageId(51), limit: 50 });
    r.ws.receive({ type: 'chat:history', id: request.id, data: { messages: [chatMessage(49), chatMessage(50)], hasMore: false } });
    await loading;
    expect(r.live.chat.getSnapshot()).toMatchObject({ hasMore: false, loadingOlder: false });
    expect(r.live.chat.getSnapshot().messages.map((m) => m.seq)).toEqual([49, 50, 51, 52]);
    // Nothing older: nothing asked.
    await r.live.chat.loadOlder();
    expect(r.ws.framesOf('chat:history_request')).toHaveLength(1);
  });

  it('deletes with chat:delete and shows the tombstone', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    const deleting = r.live.chat.deleteChat(chatMessageId(1));
    const request = lastRequest(r.ws, 'chat:delete');
    expect(request.data).toEqual({ messageId: chatMessageId(1) });
    ackWith(r.ws, request, { message: tombstone(chatMessage(1)) });
    await expect(deleting).resolves.toMatchObject({ deleted: true });
    expect(r.live.chat.getSnapshot().messages[0]?.deleted).toBe(true);
  });

  it('rejects a refused delete', async () => {
    const r = await joined();
    const deleting = r.live.chat.deleteChat(chatMessageId(1));
    refuse(r.ws, lastRequest(r.ws, 'chat:delete'), 'forbidden', 'not yours');
    await expect(deleting).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('sending', () => {
  it('shows the message as pending until its ack, then resolves with the stored message', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    const sending = r.live.chat.sendChat('hello there');
    expect(r.live.chat.getSnapshot().pending).toMatchObject([{ clientMessageId: 'cm-1', content: 'hello there', status: 'sending' }]);
    const request = lastRequest(r.ws, 'chat:message');
    expect(request.data).toEqual({ content: 'hello there', clientMessageId: 'cm-1' });
    expect(request.id).toBeDefined();

    const stored = storedFrom(request, 2);
    ackWith(r.ws, request, { message: stored });
    await expect(sending).resolves.toEqual(stored);
    const chat = r.live.chat.getSnapshot();
    expect(chat.pending).toEqual([]);
    expect(chat.messages.map((m) => m.seq)).toEqual([1, 2]);
    // The live copy of the same message changes nothing.
    r.ws.receive({ type: 'chat:message', data: stored });
    expect(r.live.chat.getSnapshot()).toBe(chat);
  });

  it('counts the live copy as stored when it comes before the ack', async () => {
    const r = await joined();
    const sending = r.live.chat.sendChat('quick');
    const request = lastRequest(r.ws, 'chat:message');
    r.ws.receive({ type: 'chat:message', data: storedFrom(request, 1) });
    await expect(sending).resolves.toMatchObject({ seq: 1, content: 'quick' });
    expect(r.live.chat.getSnapshot().pending).toEqual([]);
  });

  it('sends one message at a time, in the order written', async () => {
    const r = await joined();
    const first = r.live.chat.sendChat('one');
    const second = r.live.chat.sendChat('two');
    expect(r.ws.framesOf('chat:message')).toHaveLength(1);
    expect(r.live.chat.getSnapshot().pending.map((p) => p.status)).toEqual(['sending', 'queued']);
    ackWith(r.ws, lastRequest(r.ws, 'chat:message'), { message: storedFrom(lastRequest(r.ws, 'chat:message'), 1) });
    await first;
    expect(r.ws.framesOf('chat:message').map((f) => f.data.content)).toEqual(['one', 'two']);
    ackWith(r.ws, lastRequest(r.ws, 'chat:message'), { message: storedFrom(lastRequest(r.ws, 'chat:message'), 2) });
    await second;
  });

  it('marks a refused message failed, and a retry sends it with the same id', async () => {
    const r = await joined();
    const sending = r.live.chat.sendChat('x'.repeat(2001));
    refuse(r.ws, lastRequest(r.ws, 'chat:message'), 'invalid_request', 'content: at most 2000 characters');
    const error = await sending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LiveError);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(r.live.chat.getSnapshot().pending).toMatchObject([
      { clientMessageId: 'cm-1', status: 'failed', error: { code: 'invalid_request', message: 'content: at most 2000 characters' } },
    ]);

    const retry = r.live.chat.retryChat('cm-1');
    const again = lastRequest(r.ws, 'chat:message');
    expect(r.ws.framesOf('chat:message')).toHaveLength(2);
    expect(again.data.clientMessageId).toBe('cm-1');
    expect(again.id).not.toBe(r.ws.framesOf('chat:message')[0]?.id);
    refuse(r.ws, again, 'invalid_request', 'still too long');
    await expect(retry).rejects.toMatchObject({ code: 'invalid_request' });

    r.live.chat.discardChat('cm-1');
    expect(r.live.chat.getSnapshot().pending).toEqual([]);
  });

  it('resends with the same id after a lost ack, and takes the stored answer (duplicate)', async () => {
    const r = await joined();
    const sending = r.live.chat.sendChat('are you there?').catch((error: unknown) => error);
    const first = lastRequest(r.ws, 'chat:message');
    await vi.advanceTimersByTimeAsync(CHAT_SEND_TIMEOUT_MS);
    expect(await sending).toMatchObject({ code: 'timeout' });
    expect(r.live.chat.getSnapshot().pending[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });

    const retry = r.live.chat.retryChat('cm-1');
    const second = lastRequest(r.ws, 'chat:message');
    expect(second.data).toEqual(first.data);
    ackWith(r.ws, second, { message: storedFrom(first, 1), duplicate: true });
    await expect(retry).resolves.toMatchObject({ seq: 1, clientMessageId: 'cm-1' });
    expect(r.live.chat.getSnapshot().messages).toHaveLength(1);
  });

  it('queues messages written while disconnected and sends them, same ids, on reconnect', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    // One on the wire when the connection drops…
    const cutOff = r.live.chat.sendChat('cut off');
    const lost = lastRequest(r.ws, 'chat:message');
    r.ws.serverClose(1006);
    await flush();
    expect(r.live.chat.getSnapshot().pending).toMatchObject([{ content: 'cut off', status: 'queued' }]);
    // …and one written while away.
    const written = r.live.chat.sendChat('written offline');
    expect(r.live.chat.getSnapshot().pending.map((p) => [p.content, p.status])).toEqual([
      ['cut off', 'queued'],
      ['written offline', 'queued'],
    ]);

    await vi.advanceTimersByTimeAsync(1000);
    const next = FakeWebSocket.last;
    next.open();
    next.hello({ userId: 'u_ann' });
    expect(next.framesOf('chat:message')).toHaveLength(0);
    next.ack('room:join');
    await flush();
    const resent = lastRequest(next, 'chat:message');
    expect(resent.data).toEqual(lost.data);
    ackWith(next, resent, { message: storedFrom(resent, 2), duplicate: true });
    await expect(cutOff).resolves.toMatchObject({ seq: 2 });
    const queued = lastRequest(next, 'chat:message');
    expect(queued.data).toEqual({ content: 'written offline', clientMessageId: 'cm-2' });
    ackWith(next, queued, { message: storedFrom(queued, 3) });
    await expect(written).resolves.toMatchObject({ seq: 3 });
    expect(r.live.chat.getSnapshot().pending).toEqual([]);
  });

  it('settles a cut-off message that the catch-up shows was stored', async () => {
    const r = await joined();
    r.ws.receive({ type: 'chat:history', data: { messages: [chatMessage(1)], hasMore: false } });
    const sending = r.live.chat.sendChat('stored before the drop');
    const request = lastRequest(r.ws, 'chat:message');
    const next = await reconnect(r.ws);
    next.receive({ type: 'chat:catchup', data: { messages: [storedFrom(request, 2)], complete: true } });
    await expect(sending).resolves.toMatchObject({ seq: 2 });
    next.ack('room:join');
    await flush();
    expect(next.framesOf('chat:message')).toHaveLength(0);
  });

  it('holds the outbox past the rate limit and sends on, same id, when allowed', async () => {
    const r = await joined();
    const sending = r.live.chat.sendChat('fast');
    const first = lastRequest(r.ws, 'chat:message');
    refuse(r.ws, first, 'rate_limited', 'slow down', 3);
    await flush();
    expect(r.live.chat.getSnapshot()).toMatchObject({ rateLimitedUntil: NOW + 3000, pending: [{ status: 'queued' }] });
    const faster = r.live.chat.sendChat('faster');
    await vi.advanceTimersByTimeAsync(2999);
    expect(r.ws.framesOf('chat:message')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.live.chat.getSnapshot().rateLimitedUntil).toBeNull();
    const again = lastRequest(r.ws, 'chat:message');
    expect(again.data).toEqual(first.data);
    ackWith(r.ws, again, { message: storedFrom(again, 1) });
    await expect(sending).resolves.toMatchObject({ seq: 1 });
    const last = lastRequest(r.ws, 'chat:message');
    expect(last.data.content).toBe('faster');
    ackWith(r.ws, last, { message: storedFrom(last, 2) });
    await expect(faster).resolves.toMatchObject({ seq: 2 });
  });

  it('rejects what is still unsent when the room is left', async () => {
    const r = await joined();
    r.ws.serverClose(1006);
    const sending = r.live.chat.sendChat('never sent');
    r.live.close();
    await expect(sending).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('across page loads (the outbox)', () => {
  const outboxOf = (userId = 'u_ann'): ChatOutbox => createChatOutbox({ roomCode: 'K7QX2MPA', userId, now: () => Date.now() });
  const kept = (userId = 'u_ann') => outboxOf(userId).load();

  /** A page that wrote `content` while its socket was down, and then went away (reload, crash). */
  async function writtenOffline(content: string): Promise<void> {
    const r = await joined({ outbox: outboxOf() });
    r.ws.serverClose(1006);
    await flush();
    void r.live.chat.sendChat(content).catch(() => undefined);
    expect(r.live.chat.getSnapshot().pending).toMatchObject([{ clientMessageId: 'cm-1', status: 'queued' }]);
    // The page is gone; its socket and timers with it.
    r.live.close();
    live = null;
  }

  it('keeps a message from the moment it is written until its ack', async () => {
    const r = await joined({ outbox: outboxOf() });
    const sending = r.live.chat.sendChat('hello there');
    expect(kept()).toEqual([{ clientMessageId: 'cm-1', content: 'hello there', createdAt: NOW, status: 'queued', error: null }]);
    const request = lastRequest(r.ws, 'chat:message');
    ackWith(r.ws, request, { message: storedFrom(request, 1) });
    await sending;
    expect(kept()).toEqual([]);
    expect(window.localStorage.getItem(chatOutboxKey('u_ann', 'K7QX2MPA'))).toBeNull();
  });

  it('shows what the last page left at once, and sends it on join with the same id', async () => {
    await writtenOffline('written before the reload');

    const room = await opened({ outbox: outboxOf(), idPrefix: 'next' });
    expect(room.chat.getSnapshot().pending).toEqual([
      { clientMessageId: 'cm-1', content: 'written before the reload', createdAt: NOW, status: 'queued', error: null },
    ]);
    const ws = FakeWebSocket.last;
    ws.accept({ userId: 'u_ann' });
    await flush();
    const resent = lastRequest(ws, 'chat:message');
    expect(resent.data).toEqual({ content: 'written before the reload', clientMessageId: 'cm-1' });
    // The server had it after all (sent just before the page went): the same stored message.
    ackWith(ws, resent, { message: storedFrom(resent, 7), duplicate: true });
    await flush();
    const chat = room.chat.getSnapshot();
    expect(chat.pending).toEqual([]);
    expect(chat.messages.map((m) => [m.seq, m.clientMessageId])).toEqual([[7, 'cm-1']]);
    expect(kept()).toEqual([]);
    // New messages get new ids, after the restored ones.
    void room.chat.sendChat('and another').catch(() => undefined);
    expect(lastRequest(ws, 'chat:message').data.clientMessageId).toBe('next-1');
  });

  it('forgets a restored message that the history shows was stored', async () => {
    await writtenOffline('stored before the drop');
    const room = await opened({ outbox: outboxOf() });
    const ws = FakeWebSocket.last;
    ws.open();
    ws.hello({ userId: 'u_ann' });
    ws.receive({
      type: 'chat:history',
      data: {
        messages: [chatMessage(3, { authorUserId: 'u_ann', content: 'stored before the drop', clientMessageId: 'cm-1' })],
        hasMore: false,
      },
    });
    expect(room.chat.getSnapshot().pending).toEqual([]);
    expect(kept()).toEqual([]);
    ws.ack('room:join');
    await flush();
    expect(ws.framesOf('chat:message')).toHaveLength(0);
  });

  it('brings a failed message back failed: retried with the same id, or discarded for good', async () => {
    const first = await joined({ outbox: outboxOf() });
    void first.live.chat.sendChat('too long').catch(() => undefined);
    refuse(first.ws, lastRequest(first.ws, 'chat:message'), 'invalid_request', 'content: at most 2000 characters');
    await flush();
    first.live.close();

    let r = await joined({ outbox: outboxOf() });
    const failed = { code: 'invalid_request', message: 'content: at most 2000 characters', retryAfter: null };
    expect(r.live.chat.getSnapshot().pending).toEqual([
      { clientMessageId: 'cm-1', content: 'too long', createdAt: NOW, status: 'failed', error: failed },
    ]);
    expect(r.ws.framesOf('chat:message')).toHaveLength(0);
    const retry = r.live.chat.retryChat('cm-1').catch((error: unknown) => error);
    expect(lastRequest(r.ws, 'chat:message').data.clientMessageId).toBe('cm-1');
    expect(kept()).toMatchObject([{ status: 'queued', error: null }]);
    refuse(r.ws, lastRequest(r.ws, 'chat:message'), 'invalid_request', 'still too long');
    expect(await retry).toMatchObject({ code: 'invalid_request' });
    r.live.close();

    r = await joined({ outbox: outboxOf() });
    r.live.chat.discardChat('cm-1');
    expect(r.live.chat.getSnapshot().pending).toEqual([]);
    expect(kept()).toEqual([]);
  });

  it('is one per user: another account in this browser starts clean', async () => {
    await writtenOffline('ann’s');
    const r = await joined({ userId: 'u_bob', outbox: outboxOf('u_bob') });
    expect(r.live.chat.getSnapshot().pending).toEqual([]);
    expect(r.ws.framesOf('chat:message')).toHaveLength(0);
    expect(kept('u_ann')).toHaveLength(1);
  });

  it('lets go of the outbox when the socket says hello as someone else (a guest here)', async () => {
    await writtenOffline('ann’s');
    const room = await opened({ outbox: outboxOf() });
    expect(room.chat.getSnapshot().pending).toHaveLength(1);
    const ws = FakeWebSocket.last;
    ws.accept({ userId: '' });
    await flush();
    expect(room.chat.getSnapshot().pending).toEqual([]);
    expect(ws.framesOf('chat:message')).toHaveLength(0);
    // Still there for ann.
    expect(kept()).toMatchObject([{ clientMessageId: 'cm-1', content: 'ann’s' }]);
  });

  it('ignores an outbox it cannot read, and keeps the next message', async () => {
    window.localStorage.setItem(chatOutboxKey('u_ann', 'K7QX2MPA'), '{"v":1,"entries":[{"clientMessageId":');
    const r = await joined({ outbox: outboxOf() });
    expect(r.live.chat.getSnapshot().pending).toEqual([]);
    void r.live.chat.sendChat('still works').catch(() => undefined);
    expect(kept()).toMatchObject([{ clientMessageId: 'cm-1', content: 'still works' }]);
  });

  it('starts with at most the newest 50 of the last day', async () => {
    const outbox = outboxOf();
    outbox.save({ clientMessageId: 'old', content: 'yesterday', createdAt: NOW - 25 * 3600_000, status: 'queued', error: null });
    for (let n = 1; n <= 60; n += 1) {
      outbox.save({ clientMessageId: `m-${n}`, content: `m ${n}`, createdAt: NOW - 1000 + n, status: 'queued', error: null });
    }
    const room = await opened({ outbox: outboxOf() });
    const pending = room.chat.getSnapshot().pending;
    expect(pending).toHaveLength(50);
    expect(pending[0]?.clientMessageId).toBe('m-11');
  });
});
