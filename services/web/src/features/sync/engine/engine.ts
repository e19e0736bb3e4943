/**
 * `SyncEngine`: the client side of playback sync, wired to the WebSocket frames of protocol v1.
 *
 * - **Clock**: on `hello` it starts a ping burst ({@link ClockSync}); pongs feed the offset
 *   estimate; pings continue every few seconds, and a detected clock step (or a timer that fired far
 *   too late: the machine slept) starts a new burst. A `hello` from another server (`serverId`
 *   changed) forgets every sample: that is another clock.
 * - **Commands**: `sync:state_snapshot`, `sync:catchup` and `sync:command` go through the
 *   {@link CommandBuffer} (in order, gaps → `sync:catchup_request`) into the
 *   {@link PlaybackTimeline}, which knows the state in force and the ones scheduled later.
 * - **Control**: the {@link SyncController} ticks every `tickIntervalMs` (and on every presented
 *   frame the page reports through {@link SyncEngine.onFrame}) once the clock is ready. It measures
 *   on the media clock (`currentTime`), not on the frame's presentation time (see controller.ts).
 * - **UI position**: {@link SyncEngine.roomPosition} is where the room's media is now.
 * - **Reports**: `sync:report` every `reportIntervalMs` (the server's `hello` says how often), and
 *   `sync:buffering` whenever this viewer stops or resumes being able to follow the room: a stall or
 *   slow load, an ad, autoplay blocked.
 * - **UI state**: {@link SyncEngine.subscribe} / {@link SyncEngine.getSnapshot}, shaped for React's
 *   `useSyncExternalStore`. The snapshot object only changes when something in it does; numbers that
 *   move continuously (offset, RTT, drift) are republished at most every `publishIntervalMs`.
 *
 * No DOM at import: time, timers and the player are injected. In the browser: `browserClock()`
 * (clock.ts), `hostTimers()` (timers.ts), a `PlayerAdapter` per source, `onFrame` from
 * `requestVideoFrameCallback` (`{mediaTimeMs: metadata.mediaTime × 1000, presentedAt:
 * performance.timeOrigin + metadata.expectedDisplayTime}`), and `handleFrame` for every frame the
 * socket receives.
 */
import type {
  ClientFrame,
  Correction,
  PlaybackState,
  ServerFrame,
  SyncBuffering,
  SyncReport,
} from '@/lib/protocol/v1.gen';

import { ClockSync, type ClockSyncOptions, type LocalClock } from './clock';
import { CommandBuffer } from './command-buffer';
import { SyncController, type ControllerOptions, type FrameSample } from './controller';
import { PlaybackTimeline } from './playback-math';
import type { PlayerAdapter } from './player';
import type { TimerHandle, Timers } from './timers';

export type ReportState = NonNullable<SyncReport['state']>;
export type BufferingReason = NonNullable<SyncBuffering['reason']>;

/** What the UI sees. Replaced (never mutated) when anything in it changes. */
export interface SyncEngineSnapshot {
  /** A compatible `hello` arrived and the engine has not been stopped since. */
  connected: boolean;
  /** The server said this client's protocol is too old. */
  upgradeRequired: boolean;
  clockReady: boolean;
  /** Server clock − local clock (ms), once ready. */
  clockOffsetMs: number | null;
  /** Smoothed round trip (ms). */
  rttMs: number | null;
  /** Player position − room position (ms, filtered; positive: ahead). */
  driftMs: number | null;
  lastCorrection: Correction;
  /** `play()` was refused for want of a user gesture: show a "join playback" prompt calling `userGesturePlay()`. */
  autoplayBlocked: boolean;
  /** This viewer cannot follow the room right now, and why. */
  buffering: boolean;
  bufferingReason: BufferingReason | null;
  /** The room's playback state in force (its source tells the UI which player to mount). */
  playback: PlaybackState | null;
  /** What the player is doing, as reported to the server. */
  state: ReportState;
  /** The last command sequence applied. */
  lastSequence: number | null;
}

export interface SyncEngineOptions {
  /** Sends one frame on the socket. */
  send: (frame: ClientFrame) => void;
  clock: LocalClock;
  timers: Timers;
  player?: PlayerAdapter | null;
  /** Interval of the controller's own ticks (default 50 ms). */
  tickIntervalMs?: number;
  /** `sync:report` interval until the server's `hello` sets one (default 2000 ms). */
  reportIntervalMs?: number;
  /** Continuous numbers in the snapshot are republished at most this often (default 250 ms). */
  publishIntervalMs?: number;
  /** A ping timer firing this much later than asked means the machine slept: re-burst (default 2000 ms). */
  sleepDetectMs?: number;
  gapTimeoutMs?: number;
  clockSync?: Partial<ClockSyncOptions>;
  controller?: Partial<ControllerOptions>;
}

const NO_CORRECTION: Correction = { kind: 'none' };

export class SyncEngine {
  readonly clock: ClockSync;
  readonly controller: SyncController;
  readonly timeline = new PlaybackTimeline();
  private readonly buffer: CommandBuffer;
  private readonly send: (frame: ClientFrame) => void;
  private readonly local: LocalClock;
  private readonly timers: Timers;
  private readonly tickIntervalMs: number;
  private readonly publishIntervalMs: number;
  private readonly sleepDetectMs: number;
  private reportIntervalMs: number;

  private running = false;
  private connected = false;
  private upgradeRequired = false;
  private serverId: string | null = null;
  private pingTimer: { handle: TimerHandle; due: number } | null = null;
  private tickTimer: TimerHandle | null = null;
  private reportTimer: TimerHandle | null = null;
  private sentBuffering: { buffering: boolean; reason: BufferingReason | null } = { buffering: false, reason: null };
  private snapshot: SyncEngineSnapshot;
  private lastPublishAt = Number.NEGATIVE_INFINITY;
  private listeners = new Set<() => void>();

  constructor(options: SyncEngineOptions) {
    this.send = options.send;
    this.local = options.clock;
    this.timers = options.timers;
    this.tickIntervalMs = options.tickIntervalMs ?? 50;
    this.reportIntervalMs = options.reportIntervalMs ?? 2000;
    this.publishIntervalMs = options.publishIntervalMs ?? 250;
    this.sleepDetectMs = options.sleepDetectMs ?? 2000;
    this.clock = new ClockSync(this.local, options.clockSync);
    this.buffer = new CommandBuffer({
      apply: (command) => this.timeline.applyCommand(command.atServerTime, command.state),
      requestCatchup: (afterSequence) => this.send({ type: 'sync:catchup_request', data: { afterSequence } }),
      timers: this.timers,
      gapTimeoutMs: options.gapTimeoutMs,
    });
    this.controller = new SyncController({
      local: this.local,
      timers: this.timers,
      clock: this.clock,
      timeline: this.timeline,
      onChange: () => this.onControllerChange(),
      options: options.controller,
    });
    this.snapshot = this.buildSnapshot();
    if (options.player) this.controller.setPlayer(options.player);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Start ticking (pings start with the server's `hello`). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleTick();
  }

  /**
   * Stop all timers (the socket closed). Room state and clock samples are kept for the reconnect
   * (`room:join` with `lastSequence` = the snapshot's `lastSequence`, then a catch-up). The player
   * is left as it is: it keeps playing on its own, and the loop resumes with the next `hello`.
   */
  stop(): void {
    this.running = false;
    this.connected = false;
    for (const handle of [this.tickTimer, this.reportTimer, this.pingTimer?.handle]) {
      if (handle !== null && handle !== undefined) this.timers.clearTimeout(handle);
    }
    this.tickTimer = this.reportTimer = null;
    this.pingTimer = null;
    this.publish(true);
  }

  /** The room was left: forget its playback (the clock estimate stays; it is the server's clock). */
  leaveRoom(): void {
    this.buffer.clear();
    this.timeline.clear();
    this.sentBuffering = { buffering: false, reason: null };
    this.publish(true);
  }

  /** Stop and release the player; the engine cannot be restarted meaningfully after this. */
  dispose(): void {
    this.stop();
    this.buffer.clear();
    this.controller.dispose();
    this.listeners.clear();
  }

  /** Control this player (or none, while the UI swaps sources). */
  attachPlayer(player: PlayerAdapter | null): void {
    this.controller.setPlayer(player);
    this.tick();
  }

  /**
   * Where the room's media is now (ms), from the timeline in force at the estimated server time;
   * null until the clock is synced or while no room state is known.
   */
  roomPosition(): number | null {
    if (!this.clock.ready) return null;
    return this.timeline.targetAt(this.clock.serverNow())?.position ?? null;
  }

  /** A frame was presented (`requestVideoFrameCallback`): a tick, so the loop runs at the frame rate. */
  onFrame(frame: FrameSample): void {
    if (!this.running) return;
    this.controller.tick(frame);
    this.publish();
  }

  /** The "join playback" button: retry `play()` inside the user gesture. */
  userGesturePlay(): Promise<void> {
    return this.controller.userGesturePlay().finally(() => this.afterChange());
  }

  // ---- frames from the server ----------------------------------------------------------------

  handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello': {
        const hello = frame.data;
        if (!hello.compatible) {
          this.upgradeRequired = hello.upgradeRequired;
          this.stop();
          return;
        }
        if (hello.reportIntervalMs > 0) this.reportIntervalMs = hello.reportIntervalMs;
        const sameServer = this.serverId === null || this.serverId === hello.serverId;
        this.serverId = hello.serverId;
        this.connected = true;
        this.start();
        this.clock.startBurst({ flush: !sameServer });
        this.schedulePing(0);
        this.scheduleReport();
        // Whatever was in flight on the old socket is gone; tell the server our state afresh.
        this.sentBuffering = { buffering: false, reason: null };
        this.afterChange();
        return;
      }
      case 'time:pong': {
        const wasReady = this.clock.ready;
        const result = this.clock.onPong(frame.data);
        if (result.stepDetected) this.schedulePing(0);
        if (!wasReady && this.clock.ready) this.tick();
        this.publish(!wasReady && this.clock.ready);
        return;
      }
      case 'sync:state_snapshot': {
        const { state } = frame.data;
        this.buffer.reset(state.sequenceNumber, () => this.timeline.applySnapshot(state));
        this.afterChange();
        return;
      }
      case 'sync:catchup': {
        const { commands, state } = frame.data;
        const finalSequence = state.sequenceNumber;
        this.buffer.catchup(commands, finalSequence, () => {
          const latest = this.timeline.latestSequence;
          if (latest === null || finalSequence >= latest) this.timeline.applySnapshot(state);
        });
        this.afterChange();
        return;
      }
      case 'sync:command': {
        if (this.buffer.receive(frame.data) === 'applied') this.afterChange();
        return;
      }
      default:
        return;
    }
  }

  // ---- observable state ----------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): SyncEngineSnapshot => this.snapshot;

  // ---- internals -----------------------------------------------------------------------------

  private tick(): void {
    if (!this.running) return;
    this.controller.tick();
    this.syncBuffering();
  }

  private afterChange(): void {
    this.tick();
    this.publish(true);
  }

  private onControllerChange(): void {
    this.syncBuffering();
    this.publish(true);
  }

  private scheduleTick(): void {
    this.tickTimer = this.timers.setTimeout(() => {
      this.tickTimer = null;
      if (!this.running) return;
      this.tick();
      this.publish();
      this.scheduleTick();
    }, this.tickIntervalMs);
  }

  private schedulePing(delay: number): void {
    if (!this.running || !this.connected) return;
    if (this.pingTimer) this.timers.clearTimeout(this.pingTimer.handle);
    const due = this.local.now() + delay;
    const handle = this.timers.setTimeout(() => {
      this.pingTimer = null;
      if (!this.running || !this.connected) return;
      // Far later than asked: the machine (or the tab) slept. The offset may have jumped.
      if (this.local.now() - due > this.sleepDetectMs && !this.clock.bursting) this.clock.startBurst();
      this.send({ type: 'time:ping', data: this.clock.createPing() });
      this.schedulePing(this.clock.nextPingDelay());
    }, delay);
    this.pingTimer = { handle, due };
  }

  private scheduleReport(): void {
    if (this.reportTimer !== null) this.timers.clearTimeout(this.reportTimer);
    this.reportTimer = this.timers.setTimeout(() => {
      this.reportTimer = null;
      if (!this.running || !this.connected) return;
      this.sendReport();
      this.scheduleReport();
    }, this.reportIntervalMs);
  }

  private sendReport(): void {
    if (!this.clock.ready || this.timeline.empty) return;
    const player = this.controller.attached;
    const report: SyncReport = {
      driftMs: round1(this.controller.driftMs ?? 0),
      rttMs: round1(this.clock.smoothedRtt ?? 0),
      clockOffsetMs: round1(this.clock.offset),
      playbackRate: player ? player.rate() : undefined,
      state: this.reportState(),
      lastCorrection: this.controller.lastCorrection,
    };
    const ahead = player?.bufferedAheadMs();
    if (ahead !== null && ahead !== undefined) report.bufferedAheadMs = Math.round(ahead);
    this.send({ type: 'sync:report', data: report });
  }

  private bufferingNow(): { buffering: boolean; reason: BufferingReason | null } {
    const f = this.controller.flags;
    if (f.interrupted) return { buffering: true, reason: 'ad' };
    if (f.autoplayBlocked) return { buffering: true, reason: 'autoplay_blocked' };
    if (f.stalled) return { buffering: true, reason: 'stall' };
    if (f.loading) return { buffering: true, reason: 'loading' };
    return { buffering: false, reason: null };
  }

  private syncBuffering(): void {
    // Buffering is a room matter: only in a room (a state arrived) and on a live socket.
    if (!this.connected || this.timeline.empty) return;
    const now = this.bufferingNow();
    if (now.buffering === this.sentBuffering.buffering && now.reason === this.sentBuffering.reason) return;
    this.sentBuffering = now;
    const data: SyncBuffering = now.reason ? { buffering: now.buffering, reason: now.reason } : { buffering: false };
    this.send({ type: 'sync:buffering', data });
  }

  private reportState(): ReportState {
    const player = this.controller.attached;
    if (!player || this.timeline.empty) return 'idle';
    const f = this.controller.flags;
    if (f.interrupted) return 'interrupted';
    if (f.stalled || f.loading || f.autoplayBlocked) return 'buffering';
    return player.paused() ? 'paused' : 'playing';
  }

  private buildSnapshot(): SyncEngineSnapshot {
    const ready = this.clock.ready;
    const b = this.bufferingNow();
    const s = ready ? this.clock.serverNow() : null;
    const target = s === null ? null : this.timeline.targetAt(s);
    return {
      connected: this.connected,
      upgradeRequired: this.upgradeRequired,
      clockReady: ready,
      clockOffsetMs: ready ? round1(this.clock.offset) : null,
      rttMs: this.clock.smoothedRtt === null ? null : round1(this.clock.smoothedRtt),
      driftMs: this.controller.driftMs === null ? null : round1(this.controller.driftMs),
      lastCorrection: this.controller.lastCorrection ?? NO_CORRECTION,
      autoplayBlocked: this.controller.flags.autoplayBlocked,
      buffering: b.buffering,
      bufferingReason: b.reason,
      playback: target?.state ?? this.timeline.latest,
      state: this.reportState(),
      lastSequence: this.buffer.lastApplied,
    };
  }

  /**
   * Rebuild the snapshot and notify if it changed. Discrete changes go out at once (`urgent`, or
   * when a discrete field differs); continuous numbers at most every `publishIntervalMs`.
   */
  private publish(urgent = false): void {
    const next = this.buildSnapshot();
    const prev = this.snapshot;
    const discrete =
      next.connected !== prev.connected ||
      next.upgradeRequired !== prev.upgradeRequired ||
      next.clockReady !== prev.clockReady ||
      next.lastCorrection !== prev.lastCorrection ||
      next.autoplayBlocked !== prev.autoplayBlocked ||
      next.buffering !== prev.buffering ||
      next.bufferingReason !== prev.bufferingReason ||
      next.playback !== prev.playback ||
      next.state !== prev.state ||
      next.lastSequence !== prev.lastSequence;
    const continuous =
      next.clockOffsetMs !== prev.clockOffsetMs || next.rttMs !== prev.rttMs || next.driftMs !== prev.driftMs;
    if (!discrete && !continuous) return;
    const now = this.local.now();
    if (!discrete && !urgent && now - this.lastPublishAt < this.publishIntervalMs) return;
    this.snapshot = next;
    this.lastPublishAt = now;
    for (const listener of [...this.listeners]) listener();
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
