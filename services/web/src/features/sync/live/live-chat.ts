/**
 * The {@link ChatState} as pure functions of what the server sent, so each rule is tested without
 * a socket (docs/api/chat.md, "Ordering"):
 *
 * - messages are placed by `seq` (gapless per room), whatever order they arrive in;
 * - the same message may arrive twice: a copy changes nothing, and a tombstone (`deleted`) replaces
 *   the message and is final (a late copy of the live message never brings the text back);
 * - what is held is one run of consecutive `seq`s: a page of the latest messages that leaves a
 *   hole before it drops what is older than the hole (`hasMore` then says older ones exist, and
 *   `loadOlder` brings them back in order).
 */
import type { ChatHistory, ChatMessage } from '@/lib/protocol/v1.gen';

import type { ChatState, PendingChatMessage } from './live-room';

export const INITIAL_CHAT_STATE: ChatState = Object.freeze<ChatState>({
  byId: new Map(),
  messages: [],
  hasMore: false,
  loaded: false,
  loadingOlder: false,
  pending: [],
  unavailable: false,
  rateLimitedUntil: null,
});

/** The newest message held (by `seq`), or null. */
export function newestMessage(state: ChatState): ChatMessage | null {
  return state.messages.at(-1) ?? null;
}

/** Where a message with this `seq` goes in `messages` (the first index whose seq is not smaller). */
function insertionIndex(messages: readonly ChatMessage[], seq: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((messages[mid]?.seq ?? 0) < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether `incoming` should take the place of the copy held: only a tombstone replaces. */
function replaces(held: ChatMessage, incoming: ChatMessage): boolean {
  return incoming.deleted && !held.deleted;
}

/**
 * The state with `incoming` placed by `seq`: new ones inserted, tombstones replacing, copies
 * ignored (the same state object when nothing changed). Each stored message of yours (matched by
 * `clientMessageId`; `ownUserId` when known) leaves `pending`.
 */
export function applyMessages(state: ChatState, incoming: readonly ChatMessage[], ownUserId: string | null = null): ChatState {
  let byId: Map<string, ChatMessage> | null = null;
  let messages: ChatMessage[] | null = null;
  for (const message of incoming) {
    const current = (byId ?? state.byId).get(message.id);
    if (current !== undefined && !replaces(current, message)) continue;
    byId ??= new Map(state.byId);
    messages ??= [...state.messages];
    byId.set(message.id, message);
    if (current !== undefined) {
      const at = messages.indexOf(current);
      if (at >= 0) messages[at] = message;
      continue;
    }
    const at = insertionIndex(messages, message.seq);
    if (messages[at]?.seq === message.seq) {
      // Another id at the same seq cannot happen in one room; the newest word wins.
      const previous = messages[at];
      if (previous !== undefined) byId.delete(previous.id);
      messages[at] = message;
    } else {
      messages.splice(at, 0, message);
    }
  }
  const pending = withoutStored(state.pending, incoming, ownUserId);
  if (byId === null && pending === state.pending) return state;
  return {
    ...state,
    byId: byId ?? state.byId,
    messages: messages ?? state.messages,
    pending,
  };
}

/** `pending` less the messages `stored` shows the server has (the same array when none). */
function withoutStored(
  pending: readonly PendingChatMessage[],
  stored: readonly ChatMessage[],
  ownUserId: string | null,
): readonly PendingChatMessage[] {
  if (pending.length === 0) return pending;
  const ids = new Set<string>();
  for (const message of stored) {
    if (message.kind !== 'user' || message.clientMessageId === null) continue;
    if (ownUserId !== null && ownUserId !== '' && message.authorUserId !== ownUserId) continue;
    ids.add(message.clientMessageId);
  }
  if (ids.size === 0) return pending;
  const left = pending.filter((entry) => !ids.has(entry.clientMessageId));
  return left.length === pending.length ? pending : left;
}

/** The `seq` just above the newest hole in `messages` (null when they are one consecutive run). */
export function newestGapEnd(messages: readonly ChatMessage[]): number | null {
  for (let i = messages.length - 1; i > 0; i -= 1) {
    const later = messages[i];
    const earlier = messages[i - 1];
    if (later !== undefined && earlier !== undefined && later.seq - earlier.seq > 1) return later.seq;
  }
  return null;
}

/** Drop what is older than the newest hole: what is held is one run, and `hasMore` says more exist. */
function trimToRun(state: ChatState): ChatState {
  const gapEnd = newestGapEnd(state.messages);
  if (gapEnd === null) return state;
  const messages = state.messages.filter((message) => message.seq >= gapEnd);
  return { ...state, messages, byId: new Map(messages.map((message) => [message.id, message])), hasMore: true };
}

/**
 * The latest page (`chat:history` on join, or reloaded): merged with what is held when the two
 * meet, and what is older than a hole between them dropped. `hasMore` is the page's unless older
 * messages held still reach further back.
 */
export function applyLatestPage(state: ChatState, page: ChatHistory, ownUserId: string | null = null): ChatState {
  const oldestHeld = state.messages[0]?.seq ?? null;
  const oldestInPage = page.messages[0]?.seq ?? null;
  const merged = applyMessages(state, page.messages, ownUserId);
  const hasMore = oldestHeld !== null && oldestInPage !== null && oldestHeld < oldestInPage ? state.hasMore : page.hasMore;
  return trimToRun({ ...merged, hasMore, loaded: true, unavailable: false });
}

/** An older page (`chat:history` answering `beforeId`): the messages just before the oldest held. */
export function applyOlderPage(state: ChatState, page: ChatHistory, ownUserId: string | null = null): ChatState {
  const merged = applyMessages(state, page.messages, ownUserId);
  return { ...merged, hasMore: page.hasMore && page.messages.length > 0, loadingOlder: false };
}

/**
 * `chat:catchup` on a rejoin: exactly the messages after the newest one held. When `complete` is
 * false there were more than it carries: the caller reloads the latest page.
 */
export function applyCatchup(state: ChatState, messages: readonly ChatMessage[], ownUserId: string | null = null): ChatState {
  const merged = applyMessages(state, messages, ownUserId);
  return merged.loaded && !merged.unavailable ? merged : { ...merged, loaded: true, unavailable: false };
}

/** Add a message you wrote to `pending`. */
export function addPending(state: ChatState, entry: PendingChatMessage): ChatState {
  return { ...state, pending: [...state.pending, entry] };
}

/** Change a pending message (the same state when there is none with that id). */
export function updatePending(state: ChatState, clientMessageId: string, patch: Partial<PendingChatMessage>): ChatState {
  const at = state.pending.findIndex((entry) => entry.clientMessageId === clientMessageId);
  const current = state.pending[at];
  if (current === undefined) return state;
  const pending = [...state.pending];
  pending[at] = { ...current, ...patch };
  return { ...state, pending };
}

/** Forget a pending message. */
export function removePending(state: ChatState, clientMessageId: string): ChatState {
  const pending = state.pending.filter((entry) => entry.clientMessageId !== clientMessageId);
  return pending.length === state.pending.length ? state : { ...state, pending };
}
