import { describe, expect, it } from 'vitest';

import {
  CHAT_OUTBOX_MAX_AGE_MS,
  CHAT_OUTBOX_MAX_ENTRIES,
  chatOutboxKey,
  createChatOutbox,
  type OutboxStorage,
} from './chat-outbox';
import type { PendingChatMessage } from './live-room';

const NOW = 1_767_225_600_000;
const now = () => NOW;

function entry(n: number, patch: Partial<PendingChatMessage> = {}): PendingChatMessage {
  return { clientMessageId: `cm-${n}`, content: `message ${n}`, createdAt: NOW - 1000 + n, status: 'queued', error: null, ...patch };
}

const annsOutbox = (storage: OutboxStorage = window.localStorage) =>
  createChatOutbox({ roomCode: 'K7QX2MPA', userId: 'u_ann', storage, now });

describe('the chat outbox', () => {
  it('keeps messages in the order written and gives them back queued; failed ones stay failed', () => {
    const outbox = annsOutbox();
    const refused = { code: 'timeout', message: 'No answer', retryAfter: null };
    outbox.save(entry(1, { status: 'sending' }));
    outbox.save(entry(2));
    outbox.save(entry(1, { status: 'failed', error: refused }));
    expect(annsOutbox().load()).toEqual([
      { ...entry(1), status: 'failed', error: refused },
      { ...entry(2), status: 'queued' },
    ]);
    outbox.remove('cm-1');
    outbox.remove('cm-2');
    expect(window.localStorage.getItem(chatOutboxKey('u_ann', 'K7QX2MPA'))).toBeNull();
  });

  it('is one per user and room', () => {
    annsOutbox().save(entry(1));
    expect(createChatOutbox({ roomCode: 'K7QX2MPA', userId: 'u_bob', now }).load()).toEqual([]);
    expect(createChatOutbox({ roomCode: 'ZZZZ2222', userId: 'u_ann', now }).load()).toEqual([]);
    expect(annsOutbox().load()).toHaveLength(1);
  });

  it('keeps another tab’s messages when it writes', () => {
    const tab1 = annsOutbox();
    const tab2 = annsOutbox();
    tab1.save(entry(1));
    tab2.save(entry(2));
    tab1.remove('cm-1');
    expect(annsOutbox().load().map((e) => e.clientMessageId)).toEqual(['cm-2']);
  });

  it('keeps at most the newest 50 per room, and nothing older than 24 h', () => {
    const outbox = annsOutbox();
    for (let n = 1; n <= CHAT_OUTBOX_MAX_ENTRIES + 5; n += 1) outbox.save(entry(n));
    const kept = annsOutbox().load();
    expect(kept).toHaveLength(CHAT_OUTBOX_MAX_ENTRIES);
    expect(kept[0]?.clientMessageId).toBe('cm-6');

    window.localStorage.clear();
    outbox.save(entry(1, { createdAt: NOW - CHAT_OUTBOX_MAX_AGE_MS - 1 }));
    outbox.save(entry(2, { createdAt: NOW - CHAT_OUTBOX_MAX_AGE_MS + 1 }));
    expect(annsOutbox().load().map((e) => e.clientMessageId)).toEqual(['cm-2']);
  });

  it('sweeps old messages out of other rooms’ outboxes too when a room is opened', () => {
    const elsewhere = createChatOutbox({ roomCode: 'ZZZZ2222', userId: 'u_bob', now: () => NOW - CHAT_OUTBOX_MAX_AGE_MS - 10 });
    elsewhere.save(entry(1, { createdAt: NOW - CHAT_OUTBOX_MAX_AGE_MS - 10 }));
    const key = chatOutboxKey('u_bob', 'ZZZZ2222');
    expect(window.localStorage.getItem(key)).not.toBeNull();
    annsOutbox().load();
    expect(window.localStorage.getItem(key)).toBeNull();
  });

  it.each([
    ['not JSON', '{"v":1,"entries":[{'],
    ['another version', JSON.stringify({ v: 2, entries: [entry(1)] })],
    ['not an object', '"hello"'],
    ['entries not a list', JSON.stringify({ v: 1, entries: { a: entry(1) } })],
    ['null', 'null'],
  ])('ignores what it cannot read (%s)', (_, raw) => {
    window.localStorage.setItem(chatOutboxKey('u_ann', 'K7QX2MPA'), raw);
    const outbox = annsOutbox();
    expect(outbox.load()).toEqual([]);
    outbox.save(entry(3));
    expect(annsOutbox().load().map((e) => e.clientMessageId)).toEqual(['cm-3']);
  });

  it('skips bad entries one by one and keeps the good ones', () => {
    const good = { clientMessageId: 'cm-1', content: 'fine', createdAt: NOW, error: null };
    window.localStorage.setItem(
      chatOutboxKey('u_ann', 'K7QX2MPA'),
      JSON.stringify({
        v: 1,
        entries: [
          null,
          { ...good, clientMessageId: 7 },
          { ...good, clientMessageId: 'cm-2', content: '' },
          { ...good, clientMessageId: 'cm-3', createdAt: 'yesterday' },
          { ...good, clientMessageId: 'cm-4', error: { code: 1 } },
          good,
          { ...good, content: 'the same id again' },
        ],
      }),
    );
    expect(annsOutbox().load()).toEqual([{ clientMessageId: 'cm-1', content: 'fine', createdAt: NOW, status: 'queued', error: null }]);
  });

  it('does without storage that is blocked or full', () => {
    const broken: OutboxStorage = {
      length: 1,
      key: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    const outbox = annsOutbox(broken);
    expect(outbox.load()).toEqual([]);
    expect(() => {
      outbox.save(entry(1));
      outbox.remove('cm-1');
    }).not.toThrow();
    expect(createChatOutbox({ roomCode: 'K7QX2MPA', userId: 'u_ann', storage: null }).load()).toEqual([]);
  });
});
