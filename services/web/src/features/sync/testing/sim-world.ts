/**
 * A deterministic discrete-event world for testing the sync engine: one server clock, viewers whose
 * local clocks are wrong by minutes and drift, a network with delay, jitter, spikes and asymmetry
 * (and TCP's in-order delivery), and a simulated player that behaves like a real one in the ways
 * that matter for sync (media advances at its rate on its own slightly-off media clock, `play()`
 * takes a moment to start, seeks take 50–300 ms and land near where asked).
 *
 * Everything random comes from one seeded generator, so a run is reproducible. Virtual time is
 * "true" time in ms; the server clock is `EPOCH + true time`; each viewer's local clock is
 * `EPOCH + wrongBy + true × (1 + drift)`.
 */
import type { ClientFrame, PlaybackState, ServerFrame, SyncCommand } from '@/lib/protocol/v1.gen';

import type { LocalClock } from '../engine/clock';
import { SyncEngine, type SyncEngineOptions } from '../engine/engine';
import { positionAt } from '../engine/playback-math';
import { PlayerEventEmitter, type PlayerAdapter, type PlayerEventName, type PlayerEvents, type RateControl } from '../engine/player';
import type { TimerHandle, Timers } from '../engine/timers';

/** Server clock epoch (an ordinary Unix time in ms). */
export const EPOCH = 1_767_225_600_000;

/** Mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ev {
  at: number;
  seq: number;
  fn: () => void;
}

/** A binary-heap event loop on virtual time. */
export class EventLoop {
  now = 0;
  /** Set by anything that settles a promise: the loop then lets microtasks run. */
  microtasks = false;
  private heap: Ev[] = [];
  private seq = 0;
  private cancelled = new Set<number>();

  at(time: number, fn: () => void): number {
    const ev = { at: Math.max(time, this.now), seq: this.seq++, fn };
    this.heap.push(ev);
    this.up(this.heap.length - 1);
    return ev.seq;
  }

  after(delay: number, fn: () => void): number {
    return this.at(this.now + Math.max(0, delay), fn);
  }

  cancel(id: number): void {
    this.cancelled.add(id);
  }

  /** Run every event due up to `time`, in order; then the clock stands at `time`. */
  async runUntil(time: number): Promise<void> {
    while (this.heap.length > 0 && this.heap[0]!.at <= time) {
      const ev = this.pop();
      if (this.cancelled.delete(ev.seq)) continue;
      this.now = ev.at;
      ev.fn();
      if (this.microtasks) {
        this.microtasks = false;
        for (let i = 0; i < 4; i++) await Promise.resolve();
      }
    }
    this.now = time;
  }

  private pop(): Ev {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: Ev, b: Ev): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** A local clock and timers running on `loop`'s virtual time (local = `base` + virtual ms). */
export function loopTime(loop: EventLoop, base = 0): { clock: LocalClock; timers: Timers } {
  return {
    clock: { now: () => base + loop.now },
    timers: {
      setTimeout: (callback: () => void, delayMs: number): TimerHandle => loop.after(delayMs, callback),
      clearTimeout: (handle: TimerHandle) => loop.cancel(handle as number),
    },
  };
}

/** A complete {@link PlaybackState} with sensible defaults. */
export function playbackState(patch: Partial<PlaybackState> = {}): PlaybackState {
  return {
    roomId: 'r1',
    sourceType: 'upload',
    sourceId: 'v1',
    isPlaying: false,
    playbackRate: 1,
    anchorServerTime: 0,
    anchorMediaTime: 0,
    sequenceNumber: 0,
    protocolVersion: '1.0.0',
    ...patch,
  };
}

/** A {@link SyncCommand} carrying `state` (its sequence number and time are the state's). */
export function command(state: PlaybackState, type: SyncCommand['type'] = 'PLAY'): SyncCommand {
  return {
    id: `c_${state.sequenceNumber}`,
    sequenceNumber: state.sequenceNumber,
    atServerTime: state.anchorServerTime,
    issuedBy: 'owner',
    type,
    state,
    targetMediaTime: null,
    rate: null,
    sourceType: null,
    sourceId: null,
    idempotencyKey: null,
  };
}

/** How a simulated player behaves. */
export interface SimPlayerProfile {
  rateControl: RateControl;
  allowedRates?: readonly number[];
  /** Typical seek duration (ms); each seek takes it × U(0.8, 1.2). */
  seekLatencyMs: number;
  /** Seeks land within ± this of the target (ms). */
  landingNoiseMs: number;
  /** The player says every position is buffered (`bufferedAt`), e.g. a short local file. */
  allBuffered?: boolean;
  /** What the adapter announces as its platform's start-up latency (`playLatencyMs`), if anything. */
  knownPlayLatencyMs?: number;
  /** Time from `play()` until the media moves (ms); each start ± `playLatencyJitterMs`. */
  playLatencyMs: number;
  /** Spread of the start-up latency, uniform ± this (ms; default 3). Headless Chromium: ±11. */
  playLatencyJitterMs?: number;
  /**
   * Chromium with an audio track: ~10 ms after `play()` the media clock (`currentTime`) runs ahead
   * by up to this much (ms), then stands still until the media really starts. The media itself
   * (what is shown) does not move before the start. Default 0.
   */
  startRunAheadMs?: number;
  /** The media clock's error against true time (e.g. 30e-6). */
  mediaSkew: number;
  /** `currentTime()` reads ± this (ms). */
  readNoiseMs: number;
  /** The first `play()` is refused with NotAllowedError. */
  autoplayBlocked?: boolean;
  /**
   * A change of `playbackRate` away from 1 while playing moves the media back by U(min, max) ms at
   * once; the change back to 1 (or between other rates) costs nothing. This is what Chromium does with an audio track (its
   * audio renderer restarts its clock; measured in the browser bench: 15–18 ms per pulse).
   */
  rateChangeLagMs?: readonly [number, number];
}

/** A player whose media position follows the profile in true (virtual) time. */
export class SimPlayer implements PlayerAdapter {
  readonly rateControl: RateControl;
  readonly allowedRates?: readonly number[];
  /** What a browser adapter would know of its platform: the mean lag of a rate change. */
  readonly rateChangeLagMs?: number;
  /** ...and its start-up latency, when the profile announces one. */
  readonly playLatencyMs?: number;
  seeks = 0;
  rateChanges = 0;
  /** Every rate ever set. */
  readonly ratesUsed = new Set<number>();
  private pos = 0;
  private lastT = 0;
  private isPaused = true;
  private playbackRate = 1;
  private seeking: { id: number } | null = null;
  private movingFrom = 0;
  private playCalledAt = Number.NEGATIVE_INFINITY;
  private stalled: { from: number; until: number } | null = null;
  private blocked: boolean;
  private emitter = new PlayerEventEmitter();

  constructor(
    private readonly loop: EventLoop,
    private readonly random: () => number,
    readonly profile: SimPlayerProfile,
  ) {
    this.rateControl = profile.rateControl;
    this.allowedRates = profile.allowedRates;
    const lag = profile.rateChangeLagMs;
    if (lag) this.rateChangeLagMs = (lag[0] + lag[1]) / 2;
    this.playLatencyMs = profile.knownPlayLatencyMs;
    this.blocked = profile.autoplayBlocked ?? false;
  }

  /** The media position now, without read noise. */
  truePosition(): number {
    this.advance();
    return this.pos;
  }

  currentTime(): number {
    const pos = this.truePosition();
    let ahead = 0;
    const runAhead = this.profile.startRunAheadMs ?? 0;
    const now = this.loop.now;
    if (runAhead > 0 && !this.isPaused && !this.seeking && now < this.movingFrom) {
      ahead = Math.min(runAhead, Math.max(0, now - this.playCalledAt - 10));
    }
    return pos + ahead + (this.random() * 2 - 1) * this.profile.readNoiseMs;
  }

  paused(): boolean {
    return this.isPaused;
  }

  play(): Promise<void> {
    this.loop.microtasks = true;
    if (this.blocked) {
      // Like a browser before any user gesture. (The engine retries only from a gesture.)
      this.blocked = false;
      return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    }
    if (!this.isPaused) return Promise.resolve();
    this.advance();
    this.isPaused = false;
    this.playCalledAt = this.loop.now;
    const spread = this.profile.playLatencyJitterMs ?? 3;
    this.movingFrom = this.loop.now + Math.max(0, this.profile.playLatencyMs + (this.random() * 2 - 1) * spread);
    this.loop.at(this.movingFrom, () => {
      if (!this.isPaused && !this.seeking) this.emitter.emit('playing');
    });
    return Promise.resolve();
  }

  pause(): void {
    this.advance();
    this.isPaused = true;
  }

  seek(ms: number): void {
    this.advance();
    this.seeks += 1;
    if (this.seeking) this.loop.cancel(this.seeking.id);
    const latency = this.profile.seekLatencyMs * (0.8 + 0.4 * this.random());
    const landing = Math.max(0, ms + (this.random() * 2 - 1) * this.profile.landingNoiseMs);
    this.pos = ms;
    const id = this.loop.after(latency, () => {
      this.advance();
      this.seeking = null;
      this.pos = landing;
      this.lastT = this.loop.now;
      this.movingFrom = this.loop.now;
      this.emitter.emit('seeked');
      if (!this.isPaused) this.emitter.emit('playing');
    });
    this.seeking = { id };
  }

  setRate(rate: number): void {
    this.advance();
    const lag = this.profile.rateChangeLagMs;
    if (lag && this.playbackRate === 1 && rate !== 1 && !this.isPaused && !this.seeking) {
      this.pos -= lag[0] + this.random() * (lag[1] - lag[0]);
    }
    this.playbackRate = rate;
    this.rateChanges += 1;
    this.ratesUsed.add(rate);
  }

  rate(): number {
    return this.playbackRate;
  }

  bufferedAheadMs(): number {
    return 30_000;
  }

  bufferedAt(): boolean {
    return this.profile.allBuffered ?? false;
  }

  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  /** Move the media by `ms` at once (a glitch, a dropped second of audio). */
  jump(ms: number): void {
    this.advance();
    this.pos += ms;
  }

  /** Stop advancing for `ms` while not paused (a network stall), with `waiting` and `playing`. */
  stall(ms: number): void {
    this.advance();
    this.stalled = { from: this.loop.now, until: this.loop.now + ms };
    this.emitter.emit('waiting');
    this.loop.after(ms, () => {
      this.advance();
      this.stalled = null;
      this.emitter.emit('playing');
    });
  }

  /** The media ends here: it stops, pauses and says `ended` (as an HTML video does). */
  end(): void {
    this.advance();
    this.isPaused = true;
    this.emitter.emit('ended');
  }

  /** Emit an event as the real player would (for interruption scenarios). */
  emit<E extends PlayerEventName>(event: E, ...payload: PlayerEvents[E] extends undefined ? [] : [PlayerEvents[E]]): void {
    this.emitter.emit(event, ...payload);
  }

  private advance(): void {
    const now = this.loop.now;
    if (!this.isPaused && !this.seeking) {
      const from = Math.max(this.lastT, this.movingFrom);
      let dt = now - from;
      if (this.stalled) dt -= Math.max(0, Math.min(now, this.stalled.until) - Math.max(from, this.stalled.from));
      if (dt > 0) this.pos += dt * this.playbackRate * (1 + this.profile.mediaSkew);
    }
    this.lastT = now;
  }
}

/** A viewer's link and clock. */
export interface ViewerProfile {
  /** Local clock minus server clock at time 0 (ms): how wrong the viewer's clock is. */
  clockWrongMs: number;
  /** Local oscillator drift (e.g. 40e-6 = +40 ppm). */
  clockDrift: number;
  /** Base one-way delays (ms). */
  upMs: number;
  downMs: number;
  /** Mean of the exponential jitter added to each message (ms). */
  jitterMs: number;
  /** Chance that a message meets a spike of 30–150 ms more. */
  spikeChance: number;
  /**
   * The browser bench's link instead (`loadtests/bench_sync.py`, `DelayProxy`): each message is
   * delayed by base × (1 ± this fraction, uniform), plus with `spikeChance` a spike of 50–150 ms,
   * capped at base × (1 + fraction) + 150 ms; `jitterMs` is then unused.
   */
  uniformJitter?: number;
  player: SimPlayerProfile;
}

export class SimViewer {
  readonly clock: LocalClock;
  readonly timers: Timers;
  readonly player: SimPlayer;
  readonly engine: SyncEngine;
  readonly sent: ClientFrame[] = [];
  private lastUp = 0;
  private lastDown = 0;
  private stepMs = 0;

  constructor(
    readonly name: string,
    private readonly world: SimWorld,
    readonly profile: ViewerProfile,
    engineOptions: Partial<SyncEngineOptions> = {},
  ) {
    const loop = world.loop;
    const random = world.random;
    this.clock = { now: () => EPOCH + profile.clockWrongMs + this.stepMs + loop.now * (1 + profile.clockDrift) };
    this.timers = {
      setTimeout: (callback: () => void, delayMs: number): TimerHandle =>
        // Timers never fire early, and a little late (the event loop is busy).
        loop.after(Math.max(0, delayMs) / (1 + profile.clockDrift) + random() * 0.5, callback),
      clearTimeout: (handle: TimerHandle) => loop.cancel(handle as number),
    };
    this.player = new SimPlayer(loop, random, profile.player);
    this.engine = new SyncEngine({
      send: (frame) => this.up(frame),
      clock: this.clock,
      timers: this.timers,
      player: this.player,
      ...engineOptions,
    });
  }

  /** Server clock minus this viewer's local clock, right now (the truth the estimate aims at). */
  trueOffset(): number {
    return this.world.serverNow() - this.clock.now();
  }

  /** Step the local clock (a VM migration, a buggy clock source). */
  stepClock(ms: number): void {
    this.stepMs += ms;
  }

  /** A frame from the server reaches this viewer after the downlink delay. */
  down(frame: ServerFrame): void {
    const at = Math.max(this.lastDown, this.world.loop.now + this.delay(this.profile.downMs));
    this.lastDown = at;
    this.world.loop.at(at, () => this.engine.handleFrame(frame));
  }

  private up(frame: ClientFrame): void {
    this.sent.push(frame);
    const at = Math.max(this.lastUp, this.world.loop.now + this.delay(this.profile.upMs));
    this.lastUp = at;
    this.world.loop.at(at, () => this.world.server.receive(this, frame));
  }

  private delay(base: number): number {
    const r = this.world.random;
    const uniform = this.profile.uniformJitter;
    if (uniform !== undefined) {
      let d = base * (1 + (r() * 2 - 1) * uniform);
      if (r() < this.profile.spikeChance) d += 50 + 100 * r();
      return Math.min(d, base * (1 + uniform) + 150);
    }
    let d = base - Math.log(1 - r()) * this.profile.jitterMs;
    if (r() < this.profile.spikeChance) d += 30 + 120 * r();
    return d;
  }
}

/** The sync gateway, reduced to what the engine talks to: clock probes, ordered commands, reports. */
export class SimServer {
  state: PlaybackState = playbackState();
  readonly commands: SyncCommand[] = [];
  /** The room's states over server time, for measuring where the room "is". */
  readonly history: Array<{ at: number; state: PlaybackState }> = [];
  readonly reports = new Map<SimViewer, ClientFrame[]>();
  private viewers: SimViewer[] = [];

  constructor(private readonly world: SimWorld) {
    this.history.push({ at: Number.NEGATIVE_INFINITY, state: this.state });
  }

  connect(viewer: SimViewer): void {
    this.viewers.push(viewer);
    viewer.engine.start();
    const now = this.world.serverNow();
    viewer.down({
      type: 'hello',
      data: {
        protocolVersion: '1.0.0',
        serverTime: now,
        compatible: true,
        upgradeRequired: false,
        serverId: 'gw-1',
        userId: viewer.name,
        ownerHeartbeatMs: 5000,
        reportIntervalMs: 2000,
        limits: { maxFrameBytes: 65_536, framesPerSecond: 30, frameBurst: 60, idleTimeoutMs: 60_000 },
      },
    });
    viewer.down({ type: 'sync:state_snapshot', data: { state: this.state, serverTime: now } });
  }

  receive(viewer: SimViewer, frame: ClientFrame): void {
    const t1 = this.world.serverNow();
    if (frame.type === 'time:ping') {
      const hold = 0.05 + this.world.random() * 1.5;
      this.world.loop.after(hold, () => {
        viewer.down({ type: 'time:pong', data: { t0: frame.data.t0, t1, t2: this.world.serverNow() } });
      });
      return;
    }
    if (frame.type === 'sync:catchup_request') {
      const commands = this.commands.filter((c) => c.sequenceNumber > frame.data.afterSequence);
      viewer.down({ type: 'sync:catchup', data: { commands, state: this.state } });
      return;
    }
    const list = this.reports.get(viewer) ?? [];
    list.push(frame);
    this.reports.set(viewer, list);
  }

  /** The lead time the gateway uses (`lead_time_ms`): slowest one-way × 1.5 + 60, within 120…1500. */
  leadTime(): number {
    const rtts: number[] = [];
    for (const v of this.viewers) {
      const last = [...(this.reports.get(v) ?? [])].reverse().find((f) => f.type === 'sync:report');
      if (last?.type === 'sync:report') rtts.push(last.data.rttMs);
    }
    if (rtts.length === 0) return 400;
    return Math.min(1500, Math.max(120, (Math.max(...rtts) / 2) * 1.5 + 60));
  }

  /** Apply an intent the way the gateway's `apply` does and broadcast the command. */
  issue(kind: 'PLAY' | 'PAUSE' | 'SEEK' | 'SET_RATE', arg?: number): SyncCommand {
    const at = this.world.serverNow() + this.leadTime();
    const here = positionAt(this.state, at);
    const next: PlaybackState = { ...this.state, anchorServerTime: at, anchorMediaTime: here, sequenceNumber: this.state.sequenceNumber + 1 };
    if (kind === 'PLAY') next.isPlaying = true;
    if (kind === 'PAUSE') next.isPlaying = false;
    if (kind === 'SEEK') next.anchorMediaTime = arg ?? 0;
    if (kind === 'SET_RATE') next.playbackRate = arg ?? 1;
    const command: SyncCommand = {
      id: `c_${next.sequenceNumber}`,
      sequenceNumber: next.sequenceNumber,
      atServerTime: at,
      issuedBy: 'owner',
      type: kind,
      state: next,
      targetMediaTime: kind === 'SEEK' ? (arg ?? 0) : null,
      rate: kind === 'SET_RATE' ? (arg ?? 1) : null,
      sourceType: null,
      sourceId: null,
      idempotencyKey: null,
    };
    this.state = next;
    this.commands.push(command);
    this.history.push({ at, state: next });
    for (const v of this.viewers) v.down({ type: 'sync:command', data: command });
    return command;
  }

  /** Where the room's media is at server time `s`. */
  roomPosition(s: number): number {
    let state = this.history[0]!.state;
    for (const h of this.history) if (h.at <= s) state = h.state;
    return positionAt(state, s);
  }
}

export class SimWorld {
  readonly loop = new EventLoop();
  readonly random: () => number;
  readonly server: SimServer;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    this.server = new SimServer(this);
  }

  serverNow(): number {
    return EPOCH + this.loop.now;
  }

  addViewer(name: string, profile: ViewerProfile, engineOptions?: Partial<SyncEngineOptions>): SimViewer {
    return new SimViewer(name, this, profile, engineOptions);
  }

  /** Call `fn` every `periodMs` of true time in [from, to). */
  every(from: number, to: number, periodMs: number, fn: (t: number) => void): void {
    for (let t = from; t < to; t += periodMs) this.loop.at(t, () => fn(t));
  }
}

/** The q-quantile (0…1) of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
