/**
 * The {@link LiveRoom} of `live-room.ts`: a {@link RoomSocket} feeding a {@link SyncEngine} and the
 * {@link LiveSnapshot} the room page shows.
 *
 * - Every server frame goes to `engine.handleFrame` and through {@link reduceLiveSnapshot}.
 * - The engine stops whenever the socket is not open (its state is kept: the rejoin sends its
 *   `lastSequence` and the server answers with the commands missed) and when you are removed.
 * - While `room.you` is the room's owner member and the socket is open, `owner:heartbeat` goes out
 *   every `ownerHeartbeatMs` (from the server's `hello`): its absence is what makes the room
 *   OWNER_AWAY.
 * - An ownership offer is dropped from the snapshot when it expires (`expiresAtServerTime`, on the
 *   engine's estimate of the server's clock).
 * - The chat is a {@link ChatSession} on the same socket, with a store of its own; the rejoin sends
 *   its newest message id (`lastMessageId`) for a chat catch-up. Given an outbox, its unsent
 *   messages outlive the page.
 */
import { browserClock, type LocalClock } from '@/features/sync/engine/clock';
import { SyncEngine, type SyncEngineOptions } from '@/features/sync/engine/engine';
import { hostTimers, type TimerHandle, type Timers } from '@/features/sync/engine/timers';
import type { Ack, ClientFrames, OfferOwnership, ServerFrame } from '@/lib/protocol/v1.gen';

import { ChatSession, type ChatSessionOptions } from './chat-session';
import { INITIAL_LIVE_SNAPSHOT, reduceLiveSnapshot } from './live-snapshot';
import type { LiveChat, LiveRoomWithChat, LiveSnapshot } from './live-room';
import { RoomSocket, type GetToken, type RoomSocketOptions, type RoomSocketStatus } from './room-socket';

/** Heartbeat interval until the server's `hello` gives its own. */
export const DEFAULT_OWNER_HEARTBEAT_MS = 5_000;

export interface LiveRoomOptions {
  /** The room's invite code. */
  code: string;
  /** The token for `hello` (see {@link GetToken}). */
  getToken: GetToken;
  clock?: LocalClock;
  timers?: Timers;
  /** Socket details; tests pass a fake `WebSocket` and `random`. */
  socket?: Pick<RoomSocketOptions, 'url' | 'clientId' | 'WebSocket' | 'random' | 'backoff' | 'requestTimeoutMs'>;
  engine?: Omit<SyncEngineOptions, 'send' | 'clock' | 'timers'>;
  /** Chat details: the signed-in user's `outbox` in this room; tests pass `newId` and `now`. */
  chat?: Pick<ChatSessionOptions, 'newId' | 'now' | 'outbox'>;
}

class LiveRoomSession implements LiveRoomWithChat {
  readonly engine: SyncEngine;
  private readonly chatSession: ChatSession;
  private readonly socket: RoomSocket;
  private readonly clock: LocalClock;
  private readonly timers: Timers;
  private snapshot: LiveSnapshot = INITIAL_LIVE_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private ownerHeartbeatMs = DEFAULT_OWNER_HEARTBEAT_MS;
  private heartbeatTimer: TimerHandle | null = null;
  private offerTimer: TimerHandle | null = null;
  /** Server clock − local clock as the last `hello` put it; for when the engine's clock is not ready. */
  private helloOffset = 0;
  private closed = false;

  constructor(options: LiveRoomOptions) {
    this.clock = options.clock ?? browserClock();
    this.timers = options.timers ?? hostTimers();
    this.socket = new RoomSocket({
      ...options.socket,
      roomCode: options.code,
      getToken: options.getToken,
      timers: this.timers,
      onFrame: (frame) => {
        this.onFrame(frame);
      },
      onStatus: (status) => {
        this.onStatus(status);
      },
      lastSequence: () => this.engine.getSnapshot().lastSequence,
      lastMessageId: () => this.chatSession.lastMessageId(),
    });
    this.chatSession = new ChatSession({
      ...options.chat,
      request: (type, data, timeoutMs) => this.socket.request(type, data, timeoutMs),
      requestHistory: (data) => this.socket.requestHistory(data),
      isOpen: () => this.socket.status.connection === 'open',
      timers: this.timers,
    });
    this.engine = new SyncEngine({
      ...options.engine,
      send: (frame) => {
        this.socket.send(frame);
      },
      clock: this.clock,
      timers: this.timers,
    });
  }

  get chat(): LiveChat {
    return this.chatSession;
  }

  start(): void {
    this.socket.start();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  request = <K extends keyof ClientFrames>(type: K, data: ClientFrames[K], timeoutMs?: number): Promise<Ack> =>
    this.socket.request(type, data, timeoutMs);

  reclaimOwnership = async (): Promise<void> => {
    await this.socket.request('owner:reclaim', {});
    this.clearOffer();
  };

  close = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
    this.chatSession.close();
    this.stopHeartbeat();
    if (this.offerTimer !== null) this.timers.clearTimeout(this.offerTimer);
    this.offerTimer = null;
    this.engine.dispose();
  };

  // ---- socket events -------------------------------------------------------------------------

  private onFrame(frame: ServerFrame): void {
    if (frame.type === 'hello') {
      if (frame.data.ownerHeartbeatMs > 0) this.ownerHeartbeatMs = frame.data.ownerHeartbeatMs;
      this.helloOffset = frame.data.serverTime - this.clock.now();
    }
    this.engine.handleFrame(frame);
    this.chatSession.onFrame(frame);
    if (frame.type === 'room:removed') this.engine.stop();
    this.setSnapshot(reduceLiveSnapshot(this.snapshot, frame));
    if (frame.type === 'room:offer_ownership') this.scheduleOfferExpiry(frame.data);
  }

  private onStatus(status: RoomSocketStatus): void {
    if (status.connection !== 'open') this.engine.stop();
    if (status.connection === 'open') this.chatSession.onOpen();
    const endReason = status.connection === 'closed' ? status.endReason : null;
    if (status.connection === this.snapshot.connection && endReason === (this.snapshot.endReason ?? null)) return;
    this.setSnapshot({ ...this.snapshot, connection: status.connection, endReason });
  }

  private setSnapshot(next: LiveSnapshot): void {
    if (next === this.snapshot) return;
    this.snapshot = next;
    this.updateHeartbeat();
    for (const listener of [...this.listeners]) listener();
  }

  // ---- owner heartbeat -----------------------------------------------------------------------

  private isOwner(): boolean {
    const { connection, room } = this.snapshot;
    return connection === 'open' && room !== null && room.you !== '' && room.you === room.ownerMemberId;
  }

  private updateHeartbeat(): void {
    if (!this.isOwner()) {
      this.stopHeartbeat();
      return;
    }
    if (this.heartbeatTimer !== null) return;
    this.heartbeatTimer = this.timers.setTimeout(() => {
      this.heartbeatTimer = null;
      if (!this.isOwner()) return;
      this.socket.send({ type: 'owner:heartbeat', data: {} });
      this.updateHeartbeat();
    }, this.ownerHeartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) this.timers.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  // ---- ownership offer -----------------------------------------------------------------------

  private serverNow(): number {
    return this.engine.clock.ready ? this.engine.clock.serverNow() : this.clock.now() + this.helloOffset;
  }

  private scheduleOfferExpiry(offer: OfferOwnership): void {
    if (this.offerTimer !== null) this.timers.clearTimeout(this.offerTimer);
    this.offerTimer = this.timers.setTimeout(
      () => {
        this.offerTimer = null;
        if (this.snapshot.offer === offer) this.clearOffer();
      },
      Math.max(0, offer.expiresAtServerTime - this.serverNow()),
    );
  }

  private clearOffer(): void {
    if (this.snapshot.offer !== null) this.setSnapshot({ ...this.snapshot, offer: null });
  }
}

/** Open a live session in a room (the visitor must already be a member); `close()` it when done. */
export function createLiveRoom(options: LiveRoomOptions): LiveRoomWithChat {
  const room = new LiveRoomSession(options);
  room.start();
  return room;
}
