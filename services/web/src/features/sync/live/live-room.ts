/**
 * The contract between the live room (the socket, owned by `src/features/sync/live/`) and the
 * player (owned by `src/features/sync/player/` and `src/features/sync/components/`).
 *
 * A `LiveRoom` is one room session over the `/ws` socket: it says `hello`, joins the room, feeds
 * every server frame to its `SyncEngine`, reconnects (resuming with `lastSequence`), and exposes
 * what the UI needs as a `useSyncExternalStore` store. The player reads `engine` (its snapshot
 * tells which source is playing and how in sync this viewer is) and sends commands with `request`.
 */
import type { SyncEngine } from '@/features/sync/engine/engine';
import type {
  Ack,
  BufferingNotice,
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
