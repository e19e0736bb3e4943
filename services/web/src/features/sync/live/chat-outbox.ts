/**
 * The chat outbox kept in this browser, so a message that is not stored yet survives a reload or a
 * crashed tab: the {@link ChatSession} puts each of your unsent messages here when written and
 * takes it out once the server has it (or you discard it), and a new session in the room starts
 * from what is left and sends it again with the same client message id (the server stores a
 * message once per id, so nothing shows twice).
 *
 * - One `localStorage` entry per signed-in user and room (`syncwatch.chat.outbox:<userId>:<CODE>`),
 *   so another account in the same browser starts clean. localStorage rather than IndexedDB: the
 *   entries are small and few, and a synchronous write is done before the page can go away.
 * - Bounded: at most {@link CHAT_OUTBOX_MAX_ENTRIES} per room (the oldest go first), and nothing
 *   older than {@link CHAT_OUTBOX_MAX_AGE_MS}; each room's outbox is swept of old entries whenever
 *   a room is opened, so rooms never reopened do not keep theirs.
 * - Every write reads the entry first and changes only the messages it is about: two tabs of the
 *   same person in one room keep each other's messages.
 * - What cannot be read (bad JSON, another shape, storage disabled or full) is ignored: the outbox
 *   then holds only what this page knows.
 */
import type { ChatSendError, PendingChatMessage } from './live-room';

export const CHAT_OUTBOX_KEY_PREFIX = 'syncwatch.chat.outbox:';
/** The most messages kept per room; past it the oldest are forgotten. */
export const CHAT_OUTBOX_MAX_ENTRIES = 50;
/** Messages written longer ago than this are forgotten (ms). */
export const CHAT_OUTBOX_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const FORMAT_VERSION = 1;

/** The part of the Web Storage API the outbox uses (tests pass jsdom's, or a broken one). */
export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** One user's unsent messages in one room, kept across page loads. */
export interface ChatOutbox {
  /** Whose messages these are: the `hello` of the socket must name the same user. */
  readonly userId: string;
  /** The messages kept, in the order written: `failed` ones as they were, the others `queued`. */
  load(): PendingChatMessage[];
  /** Keep this message (new, or changed: failed, or queued again). */
  save(entry: PendingChatMessage): void;
  /** Forget this message: the server has it, or it was discarded. */
  remove(clientMessageId: string): void;
}

export interface ChatOutboxOptions {
  roomCode: string;
  userId: string;
  /** Default: `window.localStorage` (when the browser lets the page have it). */
  storage?: OutboxStorage | null;
  /** Wall-clock time (epoch ms), for the age bound. */
  now?: () => number;
}

/** A message as stored: what it takes to show it and send it again. */
interface StoredEntry {
  clientMessageId: string;
  content: string;
  createdAt: number;
  /** Set when it failed (shown with Retry); null when it was waiting to go. */
  error: ChatSendError | null;
}

export function chatOutboxKey(userId: string, roomCode: string): string {
  return `${CHAT_OUTBOX_KEY_PREFIX}${userId}:${roomCode}`;
}

function browserStorage(): OutboxStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage blocked (privacy settings, sandboxed frame): nothing is kept.
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(value: unknown): ChatSendError | null | undefined {
  if (value === null) return null;
  if (!isRecord(value) || typeof value.code !== 'string' || typeof value.message !== 'string') return undefined;
  const retryAfter = typeof value.retryAfter === 'number' && Number.isFinite(value.retryAfter) ? value.retryAfter : null;
  return { code: value.code, message: value.message, retryAfter };
}

/** The entry, or null when it is not one (each bad entry is skipped on its own). */
function parseEntry(value: unknown): StoredEntry | null {
  if (!isRecord(value)) return null;
  const { clientMessageId, content, createdAt } = value;
  if (typeof clientMessageId !== 'string' || clientMessageId === '' || typeof content !== 'string' || content === '') return null;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) return null;
  const error = parseError(value.error ?? null);
  if (error === undefined) return null;
  return { clientMessageId, content, createdAt, error };
}

/** The entries under `key`, oldest first, within the bounds at `now`. */
function read(storage: OutboxStorage, key: string, now: number): StoredEntry[] {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return [];
  }
  if (raw === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!isRecord(parsed) || parsed.v !== FORMAT_VERSION || !Array.isArray(parsed.entries)) return [];
  const seen = new Set<string>();
  const entries: StoredEntry[] = [];
  for (const item of parsed.entries as unknown[]) {
    const entry = parseEntry(item);
    if (entry === null || seen.has(entry.clientMessageId)) continue;
    seen.add(entry.clientMessageId);
    entries.push(entry);
  }
  return bounded(entries, now);
}

function bounded(entries: StoredEntry[], now: number): StoredEntry[] {
  // Either way: a clock set back must not keep an entry for ever.
  const fresh = entries.filter((entry) => Math.abs(now - entry.createdAt) <= CHAT_OUTBOX_MAX_AGE_MS);
  return fresh.length > CHAT_OUTBOX_MAX_ENTRIES ? fresh.slice(fresh.length - CHAT_OUTBOX_MAX_ENTRIES) : fresh;
}

function write(storage: OutboxStorage, key: string, entries: StoredEntry[], now: number): void {
  const kept = bounded(entries, now);
  try {
    if (kept.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify({ v: FORMAT_VERSION, entries: kept }));
  } catch {
    // Full or blocked: this page still holds the message and sends it; only a reload would lose it.
  }
}

/** Drop what is past the bounds from every room's outbox in this browser (whoever's it is). */
export function sweepChatOutboxes(storage: OutboxStorage, now: number): void {
  const keys: string[] = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key?.startsWith(CHAT_OUTBOX_KEY_PREFIX)) keys.push(key);
    }
  } catch {
    return;
  }
  for (const key of keys) {
    const entries = read(storage, key, now);
    const normal = entries.length === 0 ? null : JSON.stringify({ v: FORMAT_VERSION, entries });
    let raw: string | null;
    try {
      raw = storage.getItem(key);
    } catch {
      continue;
    }
    // Rewritten only when the sweep changes something (expired, over the bound, unreadable).
    if (raw !== normal) write(storage, key, entries, now);
  }
}

function toPending(entry: StoredEntry): PendingChatMessage {
  return entry.error === null
    ? { clientMessageId: entry.clientMessageId, content: entry.content, createdAt: entry.createdAt, status: 'queued', error: null }
    : { clientMessageId: entry.clientMessageId, content: entry.content, createdAt: entry.createdAt, status: 'failed', error: entry.error };
}

function toStored(entry: PendingChatMessage): StoredEntry {
  return {
    clientMessageId: entry.clientMessageId,
    content: entry.content,
    createdAt: entry.createdAt,
    error: entry.status === 'failed' ? entry.error : null,
  };
}

/** The outbox of `userId` in room `roomCode`, in this browser's localStorage. */
export function createChatOutbox({ roomCode, userId, storage = browserStorage(), now = Date.now }: ChatOutboxOptions): ChatOutbox {
  const key = chatOutboxKey(userId, roomCode);
  return {
    userId,
    load: () => {
      if (storage === null) return [];
      sweepChatOutboxes(storage, now());
      return read(storage, key, now()).map(toPending);
    },
    save: (entry) => {
      if (storage === null) return;
      const entries = read(storage, key, now());
      const stored = toStored(entry);
      const at = entries.findIndex((candidate) => candidate.clientMessageId === entry.clientMessageId);
      if (at >= 0) entries[at] = stored;
      else entries.push(stored);
      write(storage, key, entries, now());
    },
    remove: (clientMessageId) => {
      if (storage === null) return;
      const entries = read(storage, key, now());
      const left = entries.filter((entry) => entry.clientMessageId !== clientMessageId);
      if (left.length !== entries.length) write(storage, key, left, now());
    },
  };
}
