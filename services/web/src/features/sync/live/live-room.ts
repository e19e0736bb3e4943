/**
 * The contract between the live room (the socket, owned by `src/features/sync/live/`) and the
 * player (owned by `src/features/sync/player/` and `src/features/sync/components/`).
 *
 * A `LiveRoom` is one room session over the `/ws` socket: it says `hello`, joins the room, feeds
 * every server frame to its `SyncEngine`, reconnects (resuming with `lastSequence`), and exposes
 * what the UI needs as a `useSyncExternalStore` store. The player reads `engine` (its snapshot
 * tells which source is playing and how in sync this viewer is) and sends commands with `request`.
 * The room's chat is a store of its own ({@link LiveRoomWithChat}'s `chat`), so a new message
 * re-renders the chat alone.
 */
import type { SyncEngine } from '@/features/sync/engine/engine';
import type {
  Ack,
  BufferingNotice,
  ChatMessage,
  ClientFrames,
  OfferOwnership,
  OwnerAway,
  OwnerChanged,
  Participant,
  Removed,
  RoomStateData,
} from '@/lib/protocol/v1.gen';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Why a live session is closed for good: `close()` was called, you were removed from the room,
 * the server needs a newer client (the page must be reloaded), the token was refused even after a
 * refresh (signed out), or the server refused the join (no longer a member).
 */
export type LiveEndReason = 'closed' | 'removed' | 'incompatible' | 'auth' | 'refused';

/** What the UI shows of the live session. Replaced (never mutated) when anything changes. */
export interface LiveSnapshot {
  connection: ConnectionState;
  /** `room:state`: the room's phase, your member id and whether you may control playback. */
  room: RoomStateData | null;
  /** `room:participants`: everyone, with presence, buffering and sync health. */
  participants: Participant[];
  /** The last `room:buffering` notice (empty `waitingFor` once nobody is buffering). */
  buffering: BufferingNotice | null;
  /** Set while the room is OWNER_AWAY (cleared when the phase changes). */
  ownerAway: OwnerAway | null;
  /** An offer to take the room back, until it expires or is answered. */
  offer: OfferOwnership | null;
  /** You were removed (kicked, banned, room ended, signed out): the socket is closed for good. */
  removed: Removed | null;
  /** The last ownership change, for a toast. */
  ownerChanged: OwnerChanged | null;
  /** Set once `connection` is `closed`: why. */
  endReason?: LiveEndReason | null;
}

/** A request the server refused (`room:error`), or one that got no answer in time (`timeout`). */
export class LiveError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
    readonly currentSequence: number | null = null,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

/** Why a message of yours was not stored: the server's `room:error` code and words, or `timeout`. */
export interface ChatSendError {
  code: string;
  message: string;
  /** `rate_limited`: seconds until sending is allowed again. */
  retryAfter: number | null;
}

/**
 * A message you wrote that is not stored yet. `queued`: waiting for the connection (or for the one
 * before it); `sending`: on the wire; `failed`: refused or unanswered, kept until retried (with the
 * same `clientMessageId`, so a message that was stored after all is not stored twice) or discarded.
 */
export interface PendingChatMessage {
  clientMessageId: string;
  content: string;
  /** When it was written (epoch ms). */
  createdAt: number;
  status: 'queued' | 'sending' | 'failed';
  error: ChatSendError | null;
}

/** The room's chat as this tab has it. Replaced (never mutated) when anything changes. */
export interface ChatState {
  /** Stored messages (tombstones included) by id. */
  byId: ReadonlyMap<string, ChatMessage>;
  /** The same messages in `seq` order, oldest first. */
  messages: readonly ChatMessage[];
  /** Older messages exist before `messages[0]` (`loadOlder` fetches them). */
  hasMore: boolean;
  /** The first page (history or catch-up) has arrived. */
  loaded: boolean;
  loadingOlder: boolean;
  /** Your messages not stored yet, in the order written. */
  pending: readonly PendingChatMessage[];
  /** The server said the chat service is away (`chat_unavailable`); cleared by the next page. */
  unavailable: boolean;
  /** Set after a `rate_limited` refusal: queued messages wait until this time (epoch ms), then go. */
  rateLimitedUntil: number | null;
}

/**
 * The room's chat (docs/protocol.md, "Chat"): fed by `chat:history` on join, `chat:catchup` on a
 * rejoin and `chat:message` live; a `useSyncExternalStore` store of its own.
 */
export interface LiveChat {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ChatState;
  /**
   * Send a message. It shows in `pending` at once and goes out as soon as the socket is open (in
   * the order written; past the rate limit it waits its turn); resolves with the stored message
   * once the server has it, rejects with {@link LiveError} when it is refused or unanswered (it
   * stays in `pending` as `failed`).
   */
  sendChat(content: string): Promise<ChatMessage>;
  /** Send a failed message again, with the same client message id. */
  retryChat(clientMessageId: string): Promise<ChatMessage>;
  /** Forget a failed message. */
  discardChat(clientMessageId: string): void;
  /** Delete a message (the owner any, a member their own); resolves with the tombstone. */
  deleteChat(messageId: string): Promise<ChatMessage>;
  /** Fetch the page before the oldest message held (nothing when there is none, or one is loading). Never rejects. */
  loadOlder(): Promise<void>;
}

export interface LiveRoom {
  readonly engine: SyncEngine;
  subscribe(listener: () => void): () => void;
  getSnapshot(): LiveSnapshot;
  /**
   * Send a request frame (with an `id`) and resolve with its `ack`; reject with {@link LiveError}
   * on `room:error` or after `timeoutMs` (default 5000) without an answer.
   */
  request<K extends keyof ClientFrames>(type: K, data: ClientFrames[K], timeoutMs?: number): Promise<Ack>;
  /** Answer an offer of ownership. */
  reclaimOwnership(): Promise<void>;
  /** Leave for good (closes the socket; no reconnect). */
  close(): void;
}

/**
 * A live room with its chat: what `createLiveRoom` opens. (The player needs only {@link LiveRoom},
 * so its test doubles need no chat.)
 */
export interface LiveRoomWithChat extends LiveRoom {
  /** The room's chat, a store of its own: a new message re-renders the chat, not the player. */
  readonly chat: LiveChat;
}
