import { describe, expect, it } from 'vitest';

import { chatMessage, tombstone } from '@/testing/chat-fixtures';

import {
  addPending,
  applyCatchup,
  applyLatestPage,
  applyMessages,
  applyOlderPage,
  INITIAL_CHAT_STATE,
  newestGapEnd,
  removePending,
  updatePending,
} from './live-chat';
import type { ChatState, PendingChatMessage } from './live-room';

const seqs = (state: ChatState) => state.messages.map((message) => message.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => chatMessage(from + i));
const pending = (clientMessageId: string, patch: Partial<PendingChatMessage> = {}): PendingChatMessage => ({
  clientMessageId,
  content: 'hi',
  createdAt: 0,
  status: 'queued',
  error: null,
  ...patch,
});

describe('applyMessages', () => {
  it('places messages by seq whatever order they arrive in', () => {
    const state = applyMessages(INITIAL_CHAT_STATE, [chatMessage(3), chatMessage(1), chatMessage(2)]);
    expect(seqs(state)).toEqual([1, 2, 3]);
    expect(applyMessages(state, [chatMessage(5), chatMessage(4)]).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(state.byId.get(chatMessage(2).id)?.content).toBe('message 2');
  });

  it('ignores a message it already has (the same state object)', () => {
    const state = applyMessages(INITIAL_CHAT_STATE, [chatMessage(1), chatMessage(2)]);
    expect(applyMessages(state, [chatMessage(2)])).toBe(state);
    expect(applyMessages(state, [chatMessage(1), chatMessage(1)])).toBe(state);
  });

  it('replaces a message with its tombstone, and a late copy never brings the text back', () => {
    const state = applyMessages(INITIAL_CHAT_STATE, range(1, 3));
    const deleted = applyMessages(state, [tombstone(chatMessage(2))]);
    expect(seqs(deleted)).toEqual([1, 2, 3]);
    expect(deleted.messages[1]).toMatchObject({ deleted: true, content: '' });
    expect(deleted.byId.get(chatMessage(2).id)?.deleted).toBe(true);
    expect(applyMessages(deleted, [chatMessage(2)])).toBe(deleted);
  });

  it('settles a pending message of yours when the stored one arrives', () => {
    let state = addPending(INITIAL_CHAT_STATE, pending('mine'));
    state = addPending(state, pending('later'));
    state = applyMessages(state, [chatMessage(1, { clientMessageId: 'mine', authorUserId: 'u_ann' })], 'u_ann');
    expect(state.pending.map((entry) => entry.clientMessageId)).toEqual(['later']);
    // Someone else's message that happens to carry the same key does not.
    state = applyMessages(state, [chatMessage(2, { clientMessageId: 'later', authorUserId: 'u_bob' })], 'u_ann');
    expect(state.pending).toHaveLength(1);
  });
});

describe('pages', () => {
  it('takes the latest page on join, with hasMore', () => {
    const state = applyLatestPage(INITIAL_CHAT_STATE, { messages: range(11, 60), hasMore: true });
    expect(state.loaded).toBe(true);
    expect(state.hasMore).toBe(true);
    expect(seqs(state)).toEqual(range(11, 60).map((m) => m.seq));
  });

  it('merges a latest page that meets what is held, keeping older messages', () => {
    let state = applyLatestPage(INITIAL_CHAT_STATE, { messages: range(11, 20), hasMore: true });
    state = applyOlderPage(state, { messages: range(1, 10), hasMore: false });
    expect(state.hasMore).toBe(false);
    state = applyLatestPage(state, { messages: range(15, 25), hasMore: true });
    expect(seqs(state)).toEqual(range(1, 25).map((m) => m.seq));
    // The held messages reach back to the start, so nothing older remains to load.
    expect(state.hasMore).toBe(false);
  });

  it('drops what is older than a hole the latest page leaves', () => {
    let state = applyLatestPage(INITIAL_CHAT_STATE, { messages: range(1, 10), hasMore: false });
    state = applyLatestPage(state, { messages: range(100, 149), hasMore: true });
    expect(seqs(state)[0]).toBe(100);
    expect(state.messages).toHaveLength(50);
    expect(state.byId.has(chatMessage(5).id)).toBe(false);
    expect(state.hasMore).toBe(true);
  });

  it('fills a live hole from the latest page', () => {
    let state = applyLatestPage(INITIAL_CHAT_STATE, { messages: range(1, 10), hasMore: false });
    state = applyMessages(state, [chatMessage(12)]);
    expect(newestGapEnd(state.messages)).toBe(12);
    state = applyLatestPage(state, { messages: range(1, 12), hasMore: false });
    expect(newestGapEnd(state.messages)).toBeNull();
    expect(seqs(state)).toEqual(range(1, 12).map((m) => m.seq));
  });

  it('puts an older page before the rest and takes its hasMore', () => {
    let state = applyLatestPage(INITIAL_CHAT_STATE, { messages: range(51, 100), hasMore: true });
    state = { ...state, loadingOlder: true };
    state = applyOlderPage(state, { messages: range(1, 50), hasMore: false });
    expect(seqs(state)).toEqual(range(1, 100).map((m) => m.seq));
    expect(state).toMatchObject({ hasMore: false, loadingOlder: false });
  });

  it('applies a catch-up after the newest message held, tombstones included', () => {
    let state = applyLatestPage(INITIAL_CHAT_STATE, { messages: range(1, 5), hasMore: false });
    state = applyCatchup(state, [chatMessage(6), tombstone(chatMessage(7)), chatMessage(8)]);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(state.messages[6]?.deleted).toBe(true);
  });
});

describe('pending', () => {
  it('adds, changes and removes pending messages', () => {
    let state = addPending(INITIAL_CHAT_STATE, pending('a'));
    state = updatePending(state, 'a', { status: 'failed', error: { code: 'timeout', message: 'no answer', retryAfter: null } });
    expect(state.pending[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(updatePending(state, 'nope', { status: 'sending' })).toBe(state);
    expect(removePending(state, 'a').pending).toEqual([]);
  });
});
