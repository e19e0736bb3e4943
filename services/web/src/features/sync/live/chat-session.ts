/**
 * The {@link LiveChat} of a live room: the chat's store on the room's socket.
 *
 * - **Pages**: `chat:history` on join and `chat:catchup` on a rejoin (the socket joins with
 *   `lastMessageId`, the newest message held) feed {@link applyLatestPage} / {@link applyCatchup}.
 *   A catch-up that is not `complete` reloads the latest page; so does every rejoin once the
 *   catch-up is in, because deletions of older messages are not part of a catch-up (the latest
 *   page carries their tombstones).
 * - **Holes**: the live fan-out is at most once. A hole in `seq` that is still there
 *   {@link GAP_WAIT_MS} later (two posts may simply arrive out of order) reloads the latest page.
 * - **Sending** (nothing you were told is sent is lost): every message gets a client message id
 *   (a UUID) when written and keeps it. An outbox sends them one at a time, in the order written,
 *   whenever the socket is open; one cut off by a dropped connection goes back to the queue and
 *   is sent again with the same id on the next connection (the server stores it once). Past the
 *   rate limit (`rate_limited`) the outbox holds for `retryAfter` and then sends on. A refusal or
 *   a missing answer leaves it `failed` with its reason; `retryChat` sends it again, same id.
 *   A message counts as sent only once the server has it: its `ack`, or the stored message
 *   itself arriving (live or in a catch-up, which the chat publishes only after the commit).
 * - **Across page loads**: with a {@link ChatOutbox} (the signed-in user's, in this browser), every
 *   message not stored yet is kept there as it is written, changed as it fails or is queued again,
 *   and forgotten once the server has it or it is discarded. A new session starts with what is
 *   left, as it was shown (`failed` with its reason, the rest `queued`), and sends it with the same
 *   ids. If the socket's `hello` names someone else (this tab is a guest in the room), the outbox
 *   is let go: its messages are not shown nor sent, and stay for their owner.
 */
import type { Timers, TimerHandle } from '@/features/sync/engine/timers';
import type { Ack, ChatHistory, ChatHistoryRequest, ChatMessage, ClientFrames, ServerFrame } from '@/lib/protocol/v1.gen';

import {
  addPending,
  applyCatchup,
  applyLatestPage,
  applyMessages,
  applyOlderPage,
  INITIAL_CHAT_STATE,
  newestGapEnd,
  newestMessage,
  removePending,
  updatePending,
} from './live-chat';
import type { ChatOutbox } from './chat-outbox';
import { LiveError, type ChatState, type LiveChat, type PendingChatMessage } from './live-room';

/** How long a hole in `seq` may last before the latest page is fetched again (ms). */
export const GAP_WAIT_MS = 1_500;
/** How long a message waits for its `ack` before it is shown as failed (ms). */
export const CHAT_SEND_TIMEOUT_MS = 10_000;
/** Messages per older page. */
export const CHAT_PAGE_SIZE = 50;

export interface ChatSessionOptions {
  request: <K extends keyof ClientFrames>(type: K, data: ClientFrames[K], timeoutMs?: number) => Promise<Ack>;
  requestHistory: (data: ChatHistoryRequest) => Promise<ChatHistory>;
  /** Whether the socket is open (joined) now. */
  isOpen: () => boolean;
  timers: Timers;
  /** Wall-clock time (epoch ms), for `createdAt` and rate-limit deadlines. */
  now?: () => number;
  /** A fresh client message id. */
  newId?: () => string;
  /** Where unsent messages are kept across page loads (none: this page's memory only). */
  outbox?: ChatOutbox | null;
}

interface Waiter {
  resolve: (message: ChatMessage) => void;
  reject: (error: LiveError) => void;
}

function uuid(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Old browsers without randomUUID: still 122 random bits in the UUID v4 layout.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function asLiveError(error: unknown): LiveError {
  return error instanceof LiveError ? error : new LiveError('internal', 'Something went wrong sending the message.');
}

export class ChatSession implements LiveChat {
  private state: ChatState = INITIAL_CHAT_STATE;
  private readonly listeners = new Set<() => void>();
  private readonly options: ChatSessionOptions;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly waiters = new Map<string, Waiter>();
  private ownUserId: string | null = null;
  private pumping = false;
  private gapTimer: TimerHandle | null = null;
  private throttleTimer: TimerHandle | null = null;
  private reloading = false;
  private closed = false;
  private outbox: ChatOutbox | null;
  /** The client message ids that came from the outbox when the session started. */
  private readonly restored: ReadonlySet<string>;

  constructor(options: ChatSessionOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? uuid;
    this.outbox = options.outbox ?? null;
    const pending = this.outbox?.load() ?? [];
    this.restored = new Set(pending.map((entry) => entry.clientMessageId));
    if (pending.length > 0) this.state = { ...INITIAL_CHAT_STATE, pending };
  }

  // ---- the store -----------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): ChatState => this.state;

  /** The newest message held, for `room:join {lastMessageId}`. */
  lastMessageId(): string | null {
    return newestMessage(this.state)?.id ?? null;
  }

  private set(next: ChatState): void {
    if (next === this.state) return;
    const before = this.state.pending;
    this.state = next;
    if (next.pending !== before) this.keep(before, next.pending);
    for (const listener of [...this.listeners]) listener();
  }

  /** Mirror a change of `pending` in the outbox: what is new or failed kept, what left forgotten. */
  private keep(before: readonly PendingChatMessage[], after: readonly PendingChatMessage[]): void {
    const outbox = this.outbox;
    if (outbox === null) return;
    const previous = new Map(before.map((entry) => [entry.clientMessageId, entry]));
    for (const entry of after) {
      const was = previous.get(entry.clientMessageId);
      previous.delete(entry.clientMessageId);
      // `queued` and `sending` are kept alike; only a new message or a new error is a change.
      if (was === undefined || was.error !== entry.error) outbox.save(entry);
    }
    for (const id of previous.keys()) outbox.remove(id);
  }

  /** The socket is someone else than the outbox's owner: show and send none of their messages. */
  private letGoOfOutbox(): void {
    this.outbox = null;
    const pending = this.state.pending.filter((entry) => !this.restored.has(entry.clientMessageId));
    if (pending.length !== this.state.pending.length) this.set({ ...this.state, pending });
  }

  // ---- from the socket -----------------------------------------------------------------------

  onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        this.ownUserId = frame.data.userId || null;
        if (this.outbox !== null && this.outbox.userId !== this.ownUserId) this.letGoOfOutbox();
        break;
      case 'chat:history':
        // One with an id answers a request of ours (`requestHistory` has it).
        if (frame.id === undefined || frame.id === null) this.set(applyLatestPage(this.state, frame.data, this.ownUserId));
        break;
      case 'chat:catchup':
        this.set(applyCatchup(this.state, frame.data.messages, this.ownUserId));
        this.settleStored(frame.data.messages);
        // Incomplete: reload the latest page. Complete: reload it anyway for the tombstones of
        // messages deleted while away (a catch-up carries only what came after).
        void this.reloadLatest();
        break;
      case 'chat:message':
        this.stored([frame.data]);
        break;
      case 'room:error':
        if ((frame.id === undefined || frame.id === null) && frame.data.code === 'chat_unavailable' && !this.state.unavailable) {
          this.set({ ...this.state, unavailable: true, loaded: true });
        }
        break;
      default:
        break;
    }
  }

  /** The socket is open (joined): send what waited. */
  onOpen(): void {
    void this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearGapTimer();
    if (this.throttleTimer !== null) this.options.timers.clearTimeout(this.throttleTimer);
    this.throttleTimer = null;
    const error = new LiveError('closed', 'You left the room before the message was sent.');
    for (const waiter of this.waiters.values()) waiter.reject(error);
    this.waiters.clear();
  }

  /** Messages the server has: placed, and those of yours settled. */
  private stored(messages: readonly ChatMessage[]): void {
    this.set(applyMessages(this.state, messages, this.ownUserId));
    this.settleStored(messages);
    this.watchForGap();
  }

  private settleStored(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      if (message.clientMessageId === null) continue;
      const waiter = this.waiters.get(message.clientMessageId);
      if (waiter === undefined) continue;
      if (this.ownUserId !== null && message.authorUserId !== this.ownUserId) continue;
      this.waiters.delete(message.clientMessageId);
      waiter.resolve(message);
    }
  }

  // ---- holes and reloads ---------------------------------------------------------------------

  private watchForGap(): void {
    if (this.gapTimer !== null || !this.state.loaded || newestGapEnd(this.state.messages) === null) return;
    this.gapTimer = this.options.timers.setTimeout(() => {
      this.gapTimer = null;
      if (newestGapEnd(this.state.messages) !== null) void this.reloadLatest();
    }, GAP_WAIT_MS);
  }

  private clearGapTimer(): void {
    if (this.gapTimer !== null) this.options.timers.clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  private async reloadLatest(): Promise<void> {
    if (this.reloading || this.closed || !this.options.isOpen()) return;
    this.reloading = true;
    try {
      const page = await this.options.requestHistory({ limit: CHAT_PAGE_SIZE });
      if (this.closed) return;
      this.set(applyLatestPage(this.state, page, this.ownUserId));
      this.settleStored(page.messages);
    } catch {
      // Disconnected or unanswered: the next join catches up instead.
    } finally {
      this.reloading = false;
    }
  }

  loadOlder = async (): Promise<void> => {
    const oldest = this.state.messages[0];
    if (oldest === undefined || !this.state.hasMore || this.state.loadingOlder || !this.options.isOpen()) return;
    this.set({ ...this.state, loadingOlder: true });
    try {
      const page = await this.options.requestHistory({ beforeId: oldest.id, limit: CHAT_PAGE_SIZE });
      if (this.closed) return;
      this.set(applyOlderPage(this.state, page, this.ownUserId));
    } catch {
      // Scrolling up again asks again.
      this.set({ ...this.state, loadingOlder: false });
    }
  };

  // ---- sending -------------------------------------------------------------------------------

  sendChat = (content: string): Promise<ChatMessage> => {
    if (this.closed) return Promise.reject(new LiveError('closed', 'You are not in the room any more.'));
    const clientMessageId = this.newId();
    const promise = this.wait(clientMessageId);
    this.set(addPending(this.state, { clientMessageId, content, createdAt: this.now(), status: 'queued', error: null }));
    void this.pump();
    return promise;
  };

  retryChat = (clientMessageId: string): Promise<ChatMessage> => {
    const entry = this.state.pending.find((candidate) => candidate.clientMessageId === clientMessageId);
    if (entry === undefined) return Promise.reject(new LiveError('not_found', 'That message is not waiting to be sent.'));
    const promise = this.wait(clientMessageId);
    if (entry.status === 'failed') {
      this.set(updatePending(this.state, clientMessageId, { status: 'queued', error: null }));
      void this.pump();
    }
    return promise;
  };

  discardChat = (clientMessageId: string): void => {
    const entry = this.state.pending.find((candidate) => candidate.clientMessageId === clientMessageId);
    if (entry === undefined || entry.status !== 'failed') return;
    this.set(removePending(this.state, clientMessageId));
  };

  deleteChat = async (messageId: string): Promise<ChatMessage> => {
    const ack = await this.options.request('chat:delete', { messageId });
    if (ack.message !== null) this.stored([ack.message]);
    const tombstone = this.state.byId.get(messageId) ?? ack.message;
    if (tombstone === null) throw new LiveError('internal', 'The server did not return the deleted message.');
    return tombstone;
  };

  /** A promise for the stored message with this id (a retry replaces the settled one). */
  private wait(clientMessageId: string): Promise<ChatMessage> {
    const previous = this.waiters.get(clientMessageId);
    if (previous !== undefined) {
      // Still waiting on the first send: share its outcome.
      return new Promise((resolve, reject) => {
        this.waiters.set(clientMessageId, {
          resolve: (message) => {
            previous.resolve(message);
            resolve(message);
          },
          reject: (error) => {
            previous.reject(error);
            reject(error);
          },
        });
      });
    }
    return new Promise((resolve, reject) => {
      this.waiters.set(clientMessageId, { resolve, reject });
    });
  }

  /** Send the queued messages one at a time, in order, while the socket is open and not throttled. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.options.isOpen() && !this.throttled()) {
        const next = this.state.pending.find((entry) => entry.status === 'queued');
        if (next === undefined) break;
        const { clientMessageId, content } = next;
        this.set(updatePending(this.state, clientMessageId, { status: 'sending', error: null }));
        try {
          const ack = await this.options.request('chat:message', { content, clientMessageId }, CHAT_SEND_TIMEOUT_MS);
          if (ack.message === null) throw new LiveError('internal', 'The server did not return the stored message.');
          this.stored([ack.message]);
        } catch (error) {
          const failure = asLiveError(error);
          if (failure.code === 'disconnected') {
            // Cut off on the way: sent again, same id, on the next connection.
            this.set(updatePending(this.state, clientMessageId, { status: 'queued' }));
            break;
          }
          if (failure.code === 'rate_limited') {
            // Not refused for what it says: it waits its turn (same id) and goes when allowed.
            this.throttle(failure.retryAfter);
            this.set(updatePending(this.state, clientMessageId, { status: 'queued' }));
            break;
          }
          this.fail(clientMessageId, failure);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private throttled(): boolean {
    return this.state.rateLimitedUntil !== null && this.now() < this.state.rateLimitedUntil;
  }

  /** Hold the outbox for `retryAfter` seconds (`rate_limited`), then send on. */
  private throttle(retryAfter: number | null): void {
    const waitMs = Math.max(1, retryAfter ?? 1) * 1000;
    this.set({ ...this.state, rateLimitedUntil: this.now() + waitMs });
    if (this.throttleTimer !== null) this.options.timers.clearTimeout(this.throttleTimer);
    this.throttleTimer = this.options.timers.setTimeout(() => {
      this.throttleTimer = null;
      if (this.closed) return;
      this.set({ ...this.state, rateLimitedUntil: null });
      void this.pump();
    }, waitMs);
  }

  private fail(clientMessageId: string, failure: LiveError): void {
    this.set(
      updatePending(this.state, clientMessageId, {
        status: 'failed',
        error: { code: failure.code, message: failure.message, retryAfter: failure.retryAfter },
      }),
    );
    const waiter = this.waiters.get(clientMessageId);
    this.waiters.delete(clientMessageId);
    waiter?.reject(failure);
  }
}
