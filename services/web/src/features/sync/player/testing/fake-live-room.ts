/**
 * A `LiveRoom` for tests: a real {@link SyncEngine} on the host's timers (fake ones under
 * `vi.useFakeTimers()`) with a scripted server behind it — pongs answered, states delivered by hand
 * — and requests recorded and answered by a replaceable `respond`.
 */
import type { LocalClock } from '@/features/sync/engine/clock';
import { SyncEngine } from '@/features/sync/engine/engine';
import { hostTimers } from '@/features/sync/engine/timers';
import { LiveError, type LiveRoom, type LiveSnapshot } from '@/features/sync/live/live-room';
import type { Ack, ClientFrame, ClientFrames, PlaybackState, RoomStateData } from '@/lib/protocol/v1.gen';
import { roomStateData } from '@/testing/room-fixtures';

/** The scripted server's clock runs this far ahead of the page's (ms). */
export const SERVER_OFFSET_MS = 120_000;

export interface RecordedRequest {
  type: keyof ClientFrames;
  data: ClientFrames[keyof ClientFrames];
}

export type Responder = (request: RecordedRequest) => Promise<Ack>;

export function roomState(patch: Partial<RoomStateData> = {}): RoomStateData {
  return roomStateData({ roomId: 'r1', ...patch });
}

export function emptyLiveSnapshot(patch: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    connection: 'open',
    room: roomState(),
    participants: [],
    buffering: null,
    ownerAway: null,
    offer: null,
    removed: null,
    ownerChanged: null,
    ...patch,
  };
}

export class FakeLiveRoom implements LiveRoom {
  readonly engine: SyncEngine;
  private readonly clock: LocalClock;
  /** Every request, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every frame the engine sent. */
  readonly sent: ClientFrame[] = [];
  respond: Responder;
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  private sequence = 0;

  /** `clock`: the page's clock (default `Date.now`, which fake timers control). */
  constructor(snapshot: Partial<LiveSnapshot> = {}, clock: LocalClock = { now: () => Date.now() }) {
    this.snapshot = emptyLiveSnapshot(snapshot);
    this.respond = () => Promise.resolve(this.ack());
    const timers = hostTimers();
    this.clock = clock;
    this.engine = new SyncEngine({
      clock,
      timers,
      send: (frame) => {
        this.sent.push(frame);
        if (frame.type === 'time:ping') {
          const { t0 } = frame.data;
          // A 2 ms round trip: the server reads the ping 1 ms after it left.
          timers.setTimeout(() => {
            const t1 = this.serverNow();
            this.engine.handleFrame({ type: 'time:pong', data: { t0, t1, t2: t1 } });
          }, 2);
        }
      },
    });
  }

  serverNow(): number {
    return this.clock.now() + SERVER_OFFSET_MS;
  }

  /** A successful answer with the next sequence number. */
  ack(): Ack {
    this.sequence += 1;
    return { sequenceNumber: this.sequence, duplicate: false, commandId: `c_${this.sequence}`, message: null };
  }

  /** Say `hello` (the engine then syncs its clock; advance the timers ~1.5 s for it to be ready). */
  hello(): void {
    this.engine.handleFrame({
      type: 'hello',
      data: {
        protocolVersion: '1.0.0',
        serverTime: this.serverNow(),
        compatible: true,
        upgradeRequired: false,
        serverId: 'gw-1',
        userId: 'u_ann',
        ownerHeartbeatMs: 5000,
        reportIntervalMs: 2000,
        limits: { maxFrameBytes: 65_536, framesPerSecond: 30, frameBurst: 60, idleTimeoutMs: 90_000 },
      },
    });
  }

  /** Deliver the room's playback as a `sync:state_snapshot`. */
  playback(patch: Partial<PlaybackState> = {}): PlaybackState {
    const state: PlaybackState = {
      roomId: 'r1',
      sourceType: 'external',
      sourceId: 'https://cdn.example.com/film.mp4',
      isPlaying: false,
      playbackRate: 1,
      anchorServerTime: this.serverNow(),
      anchorMediaTime: 0,
      sequenceNumber: 1,
      protocolVersion: '1.0.0',
      ...patch,
    };
    this.sequence = Math.max(this.sequence, state.sequenceNumber);
    this.engine.handleFrame({ type: 'sync:state_snapshot', data: { state, serverTime: this.serverNow() } });
    return state;
  }

  /** Refuse the next request with `code` (then answer normally again). */
  refuseOnce(code: string, message = `${code} refused`): void {
    const normal = this.respond;
    this.respond = () => {
      this.respond = normal;
      return Promise.reject(new LiveError(code, message, null, code === 'conflict' ? this.sequence + 1 : null));
    };
  }

  setSnapshot(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  getSnapshot(): LiveSnapshot {
    return this.snapshot;
  }

  request<K extends keyof ClientFrames>(type: K, data: ClientFrames[K]): Promise<Ack> {
    const request: RecordedRequest = { type, data };
    this.requests.push(request);
    return this.respond(request);
  }

  reclaimOwnership(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.engine.dispose();
  }
}
