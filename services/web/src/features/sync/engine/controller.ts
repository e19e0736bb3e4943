/**
 * The closed loop that keeps one player on the room's timeline.
 *
 * At every tick the controller compares where the media is (`actual`) with where the room says it
 * should be at this server time (`expected`, from the anchor model) and acts on
 * `error = actual − expected` (positive: ahead of the room). Ticks come from the caller: the
 * engine's own interval, plus — when the page has `requestVideoFrameCallback` — one per presented
 * frame with that frame's media time and presentation time, which measures what the viewer actually
 * sees rather than a position read at an arbitrary moment.
 *
 * **Small errors: playback rate, aimed at zero.** Peers use a dead band (do nothing under 0.5–2 s,
 * then nudge until back under the band), which parks every viewer at the edge of the band and lets
 * errors ratchet. Here a correction episode starts as soon as the filtered error leaves a tiny band
 * (`startBandMs`, 3 ms) and runs until the error reaches zero (within `snapBandMs`, 1 ms, or crosses
 * it), at which point the rate snaps back to exactly the room's rate so there is no steady audible
 * wobble. Within an episode the rate is `roomRate × (1 + u)` with a proportional law
 *
 *     u = −(e + ∫e dt / Ti) / (roomRate × τ)        |u| ≤ maxRateAdjust (10 %)
 *
 * τ = 400 ms makes the error decay exponentially with that time constant (the media gains on the
 * room at `roomRate × u` ms per ms). `u` is quantised to 0.5 % steps, rounded away from zero, so
 * the rate is not re-set on every tick and the tail of the decay does not crawl (at least 5 ms/s).
 * The integral term is off by default (`integralTimeMs: 0`): an episode ends at the zero crossing
 * anyway, so an integral only adds overshoot (measured on a 60 ms step: −11 ms with Ti = 1 s and
 * −4 ms with Ti = 3 s, each forcing a second episode; none without, within 17 ms after 0.6 s). What an integral is classically for, a steady ramp such as a media clock
 * 50 ppm off the system clock, is handled by the band: the error takes a minute to reach 3 ms, then
 * one short episode removes it. Turn it on for a player that applies rates only approximately.
 *
 * Errors are filtered by a running median of the last 5 samples (a trimmed mean, `filterTrim` 2),
 * which rejects single outliers (a late frame callback, a timer that fired late) without the lag of
 * an average. In the simulation, narrower bands (2 ms / 0.5 ms) gained < 1 ms at the 95th percentile
 * but, with ±3 ms of read noise, quadrupled the number of rate changes; τ = 250 ms did not help.
 *
 * **Coarse players** (YouTube: rates in 0.25 steps) cannot nudge. For errors over
 * `coarseMinErrorMs` (20 ms) they switch to the neighbouring allowed rate for exactly the time that
 * removes the error (`|e| / |Δrate|`, by a timer, so the pulse's precision does not depend on the
 * tick), and leave smaller errors alone; they seek only beyond `coarseSeekThresholdMs` (1 s).
 *
 * **Large errors: a hard seek** beyond `seekThresholdMs` (400 ms) — or beyond
 * `resyncSeekThresholdMs` (60 ms) for the first correction after a discontinuity the viewer sees
 * anyway (the tap on "join playback", the end of a stall or an ad), where rate correction of a few
 * hundred ms would take seconds.
 *
 * **Seeks compensate the device's own seek latency.** A seek is not instant
 * (50–300 ms, more when data must be fetched), and during it the room moves on. Two styles:
 *
 * - `cue` (default for continuous players): pause, seek to where the room will be after the
 *   estimated seek time plus a margin (`mean + 2·deviation + 30 ms`, Jacobson/Karels style, so the
 *   seek almost always finishes in time), wait for `seeked`, read where the media actually landed,
 *   and start `play()` at the local instant the room reaches that position (minus the measured
 *   start-up latency of `play()`). The result does not depend on how long the seek took or where
 *   it landed, only on the timer and the play latency estimate.
 * - `lead` (default for coarse players, whose pause shows overlays): seek while playing to
 *   `expected + estimatedLatency × rate`; once playback has settled, measure the remaining error and
 *   fold the effective latency (`lead − error / rate`) into the estimate.
 *
 * Both estimates are EWMAs (gain 1/4) with a mean deviation, seeded by the first measurement. The
 * time from a seek (or a play) until the media advances steadily again is never counted as drift:
 * samples are skipped until two consecutive samples show the media advancing at the expected rate.
 *
 * **Paused**: the media is paused and, when it is off the anchor position by more than about a frame
 * (`pausedToleranceMs`), seeked there exactly (at most `maxPausedSeeks` tries per state).
 *
 * **Scheduled commands**: the timeline keeps the previous state until a command's `atServerTime`;
 * the controller arms a timer for the next change so it acts on time, not at the next tick. A PLAY is
 * cued like a seek: `play()` is called the measured start-up latency before the instant, so the
 * media starts moving at it. Because each command carries the full anchored state, a command that
 * arrives late needs no special case: the expected position is simply computed from it.
 *
 * Interruptions suspend the loop: an ad (`interrupted`), a stall (`waiting`/`stalled`, or the media
 * not advancing for a second while it should), autoplay being blocked (until a user gesture), and the
 * media having ended while the room plays on past it.
 */
import type { Correction } from '@/lib/protocol/v1.gen';

import type { LocalClock } from './clock';
import { positionAt, type Target } from './playback-math';
import { isAutoplayBlocked, nearestRate, rateStep, type PlayerAdapter } from './player';
import type { TimerHandle, Timers } from './timers';

export interface ControllerOptions {
  /** Error beyond which a playing continuous player seeks (ms). */
  seekThresholdMs: number;
  /** The same for coarse players, whose seeks are costlier and rate steps bigger (ms). */
  coarseSeekThresholdMs: number;
  /**
   * Seek threshold for the first correction after a discontinuity the viewer already sees (the tap
   * on "join playback", the end of a stall or an ad): a cue seek then costs little, while rate
   * correction of a 100–400 ms error would take seconds (ms).
   */
  resyncSeekThresholdMs: number;
  /** A paused player further than this from the anchor position is seeked there (ms, ~1 frame). */
  pausedToleranceMs: number;
  /** Paused seeks per room state at most (a player that cannot land closer is left alone). */
  maxPausedSeeks: number;
  /** Largest relative rate adjustment for continuous players (0.1 = ±10 %). */
  maxRateAdjust: number;
  /** Time constant τ of the proportional term (ms). */
  timeConstantMs: number;
  /** Integral time Ti (ms); 0 turns the integral term off. */
  integralTimeMs: number;
  /** A correction episode starts when the filtered error reaches this (ms). */
  startBandMs: number;
  /** ...and ends (rate snaps back to the room's) within this or when the error changes sign (ms). */
  snapBandMs: number;
  /** Rate adjustments are multiples of this. */
  rateQuantum: number;
  /** Coarse players correct errors from this size on, by timed rate steps (ms). */
  coarseMinErrorMs: number;
  /** Longest coarse rate pulse (ms). */
  coarseMaxPulseMs: number;
  /** Samples in the error filter (a trimmed mean). */
  filterSize: number;
  /** Samples dropped at each end before averaging. */
  filterTrim: number;
  /** `cue`, `lead`, or `auto` (cue for continuous players, lead for coarse ones). */
  seekStyle: 'auto' | 'cue' | 'lead';
  /** Seek latency assumed before any was measured (ms). */
  initialSeekLatencyMs: number;
  /** `play()` start-up latency assumed before any was measured (ms). */
  initialPlayLatencyMs: number;
  /** Gain of the latency EWMAs. */
  latencyGain: number;
  /** Added to a cue seek's lead (ms): time to notice `seeked` and arm the play timer. */
  seekMarginMs: number;
  /** Longest a cued player waits paused for the room to reach it before seeking instead (ms). */
  maxCueWaitMs: number;
  /** A seek of ours still running after this is reported as `loading` (ms). */
  loadingAfterMs: number;
  /** A seek without `seeked` after this is taken as done (ms). */
  seekTimeoutMs: number;
  /** Settling (after a seek or play) gives up after this and resumes control (ms). */
  settleTimeoutMs: number;
  /** Media not advancing this long while it should counts as a stall (ms). */
  stallDetectMs: number;
  /** Frame samples this recent make interval ticks skip their own position reads (ms). */
  frameSampleFreshMs: number;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  seekThresholdMs: 400,
  coarseSeekThresholdMs: 1000,
  resyncSeekThresholdMs: 60,
  pausedToleranceMs: 17,
  maxPausedSeeks: 3,
  maxRateAdjust: 0.1,
  timeConstantMs: 400,
  integralTimeMs: 0,
  startBandMs: 3,
  snapBandMs: 1,
  rateQuantum: 0.005,
  coarseMinErrorMs: 20,
  coarseMaxPulseMs: 4000,
  filterSize: 5,
  filterTrim: 2,
  seekStyle: 'auto',
  initialSeekLatencyMs: 250,
  initialPlayLatencyMs: 15,
  latencyGain: 0.25,
  seekMarginMs: 30,
  maxCueWaitMs: 1500,
  loadingAfterMs: 1000,
  seekTimeoutMs: 3000,
  settleTimeoutMs: 3000,
  stallDetectMs: 1000,
  frameSampleFreshMs: 250,
};

/**
 * A latency estimate: EWMA of the mean and of the mean absolute deviation (as TCP's SRTT/RTTVAR).
 * The first measurement replaces the prior.
 */
export class LatencyEstimate {
  private n = 0;

  constructor(
    public mean: number,
    public deviation: number,
    private readonly gain: number,
    private readonly max = 5000,
  ) {}

  /** Measurements folded in so far. */
  get count(): number {
    return this.n;
  }

  update(sample: number): void {
    const x = Math.min(this.max, Math.max(0, sample));
    if (this.n === 0) {
      this.mean = x;
      this.deviation = x / 4;
    } else {
      const err = x - this.mean;
      this.mean += this.gain * err;
      this.deviation += this.gain * (Math.abs(err) - this.deviation);
    }
    this.n += 1;
  }

  /** `mean + k × deviation`. */
  upper(k: number): number {
    return this.mean + k * this.deviation;
  }
}

/** One frame as presented: its media time (ms) and when it was shown (local clock, ms). */
export interface FrameSample {
  mediaTimeMs: number;
  presentedAt: number;
}

/** Why the player cannot follow the room right now (each is reported as `sync:buffering`). */
export interface ControllerFlags {
  stalled: boolean;
  interrupted: boolean;
  autoplayBlocked: boolean;
  /** A seek of ours has been running for longer than the seek timeout. */
  loading: boolean;
}

/** What the controller needs from the rest of the engine. */
export interface ControllerDeps {
  local: LocalClock;
  timers: Timers;
  clock: { readonly ready: boolean; toServerTime(local: number): number; toLocalTime(server: number): number };
  timeline: { targetAt(serverTime: number): Target | null; nextChangeAfter(serverTime: number): number | null };
  /** Called whenever something observable changed (flags, correction, drift). */
  onChange?: () => void;
  options?: Partial<ControllerOptions>;
}

type SeekStyle = 'cue' | 'lead' | 'paused';

type Phase =
  | { name: 'tracking' }
  | {
      name: 'seeking';
      style: SeekStyle;
      startedAt: number;
      target: number;
      /** Local time at which the room reaches `target` (lead seeks). */
      reachAt: number;
      key: string;
      timer: TimerHandle;
    }
  | { name: 'cued'; seq: number; playAt: number; timer: TimerHandle }
  | {
      name: 'settling';
      kind: 'play' | 'seek';
      since: number;
      /** When `play()`/`seek()` was called and when the room reached the intended start position (local). */
      calledAt: number;
      reachAt: number;
      key: string;
      last: { t: number; a: number } | null;
      steady: number;
    };

function stateKey(target: Target): string {
  return `${target.state.sequenceNumber}:${target.playing ? 'p' : 's'}`;
}

/** Mean of `values` without their `trim` smallest and `trim` largest (plain median-ish when few). */
export function trimmedMean(values: readonly number[], trim: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const k = Math.min(trim, Math.floor((sorted.length - 1) / 2));
  let sum = 0;
  for (let i = k; i < sorted.length - k; i++) sum += sorted[i]!;
  return sum / (sorted.length - 2 * k);
}

export class SyncController {
  readonly options: ControllerOptions;
  /** Time from `seek()` to `seeked` (cue and paused seeks). */
  readonly seekLatency: LatencyEstimate;
  /** Effective lag of a seek while playing (lead seeks). */
  readonly seekLead: LatencyEstimate;
  /** Time from `play()` until the media advances. */
  readonly playLatency: LatencyEstimate;

  private player: PlayerAdapter | null = null;
  private unsubscribe: Array<() => void> = [];
  private phase: Phase = { name: 'tracking' };
  private lastKey: string | null = null;
  private errors: number[] = [];
  private correcting = false;
  private episodeSign = 0;
  private integral = 0;
  private lastControlAt: number | null = null;
  private pulse: { sign: number; timer: TimerHandle } | null = null;
  private pausedSeeks = 0;
  private ended = false;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private lastMedia: { a: number; at: number } | null = null;
  private playRetryAfter = Number.NEGATIVE_INFINITY;
  private wake: { at: number; timer: TimerHandle } | null = null;
  private ticking = false;
  private drift: number | null = null;
  private resync = false;
  private correction: Correction = { kind: 'none' };
  private readonly flagState: ControllerFlags = { stalled: false, interrupted: false, autoplayBlocked: false, loading: false };

  constructor(private readonly deps: ControllerDeps) {
    this.options = { ...DEFAULT_CONTROLLER_OPTIONS, ...deps.options };
    const o = this.options;
    const g = o.latencyGain;
    const s = o.initialSeekLatencyMs;
    this.seekLatency = new LatencyEstimate(s, s / 4, g);
    this.seekLead = new LatencyEstimate(s, s / 4, g);
    this.playLatency = new LatencyEstimate(o.initialPlayLatencyMs, o.initialPlayLatencyMs / 2, g, 1000);
  }

  /** Filtered error of the last measurement (ms, positive: ahead), or null before any. */
  get driftMs(): number | null {
    return this.drift;
  }

  /** The last correction made. */
  get lastCorrection(): Correction {
    return this.correction;
  }

  get flags(): Readonly<ControllerFlags> {
    return this.flagState;
  }

  /** Whether a seek (or its settling) of ours is under way. */
  get busy(): boolean {
    return this.phase.name !== 'tracking';
  }

  /** The player being controlled. */
  get attached(): PlayerAdapter | null {
    return this.player;
  }

  /** Control `player` (or nothing). Estimates are kept: they describe the device as much as the source. */
  setPlayer(player: PlayerAdapter | null): void {
    if (player === this.player) return;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.cancelPhase();
    this.endPulse(false);
    this.resetLoop();
    this.player = player;
    this.ended = false;
    this.lastMedia = null;
    this.setFlags({ stalled: false, interrupted: false, autoplayBlocked: false, loading: false });
    if (!player) return;
    this.unsubscribe.push(
      player.on('seeked', () => this.onSeeked()),
      player.on('waiting', () => this.onWaiting()),
      player.on('stalled', () => this.onWaiting()),
      player.on('playing', () => this.onPlaying()),
      player.on('ended', () => {
        this.ended = true;
      }),
      player.on('interrupted', ({ active }) => this.onInterrupted(active)),
    );
  }

  /** Stop everything (timers, subscriptions). */
  dispose(): void {
    this.setPlayer(null);
    this.clearWake();
  }

  /**
   * One control step. `frame`: the frame just presented (from `requestVideoFrameCallback`), for a
   * measurement of what is on screen; without it the player's current time is read.
   */
  tick(frame?: FrameSample): void {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.step(frame);
    } finally {
      this.ticking = false;
    }
    this.armWake();
  }

  /**
   * Start playback from a user gesture (the "join playback" prompt after autoplay was blocked).
   * `play()` is called synchronously, inside the gesture; a large error is fixed by a seek first.
   */
  userGesturePlay(): Promise<void> {
    const player = this.player;
    if (!player) return Promise.resolve();
    this.cancelPhase();
    // No seek first: a seek would delay `play()` past the gesture. Once playing (the element is
    // then allowed to play), the first correction uses the low resync threshold and cue-seeks.
    return player.play().then(
      () => {
        this.setFlags({ autoplayBlocked: false });
        this.resetLoop();
        this.resync = true;
        if (!this.currentTarget()?.playing) player.pause();
        this.tick();
      },
      (error: unknown) => {
        if (isAutoplayBlocked(error)) this.setFlags({ autoplayBlocked: true });
      },
    );
  }

  // ---- the step ------------------------------------------------------------------------------

  private currentTarget(): Target | null {
    if (!this.deps.clock.ready) return null;
    return this.deps.timeline.targetAt(this.deps.clock.toServerTime(this.deps.local.now()));
  }

  private step(frame?: FrameSample): void {
    const player = this.player;
    if (!player || !this.deps.clock.ready) return;
    const o = this.options;
    const now = this.deps.local.now();
    const s = this.deps.clock.toServerTime(now);
    const target = this.deps.timeline.targetAt(s);
    if (!target) return;
    const key = stateKey(target);
    if (key !== this.lastKey) this.onTargetChange(key);

    // An ad owns the player; nothing to do until it ends.
    if (this.flagState.interrupted) return;
    const blocked = this.flagState.autoplayBlocked;

    if (this.phase.name === 'seeking') {
      // A seek this slow is fetching data: the room's buffering policy should know.
      if (now - this.phase.startedAt > o.loadingAfterMs) this.setFlags({ loading: true });
      return;
    }
    if (this.phase.name === 'cued') {
      const upcoming = this.deps.timeline.targetAt(s + this.horizon());
      if (upcoming?.playing && upcoming.state.sequenceNumber === this.phase.seq && player.paused()) return;
      this.cancelPhase();
    }

    const base = this.baseRate(player, target.rate);

    if (!target.playing) {
      this.endPulse(false);
      const upcoming = this.deps.timeline.targetAt(s + this.horizon());
      if (upcoming?.playing) {
        // A PLAY is due within the play latency. Already started for it: let it start.
        if (this.phase.name === 'settling' && this.phase.key === stateKey(upcoming)) return;
        // Cue it so the media starts moving on time.
        if (!blocked && player.paused() && Math.abs(player.currentTime() - target.position) <= o.pausedToleranceMs) {
          this.cuePlay(player, upcoming, now, s);
          return;
        }
      }
      if (!player.paused()) player.pause();
      this.setRate(player, base);
      const error = player.currentTime() - target.position;
      this.drift = error;
      if (Math.abs(error) > o.pausedToleranceMs && this.pausedSeeks < o.maxPausedSeeks) {
        this.pausedSeeks += 1;
        this.startSeek(player, target, s, now, 'paused', error, 'paused_position');
      }
      return;
    }

    // The room is playing.
    if (this.ended && player.currentTime() <= target.position + o.pausedToleranceMs) {
      // The media ended; the room plays on past it (or is about to). Nothing to correct.
      this.drift = player.currentTime() - target.position;
      return;
    }
    if (player.paused()) {
      // Autoplay blocked: only a user gesture may start it (`userGesturePlay`).
      if (blocked) return;
      // Some players report `paused` until playback actually begins: give a fresh play() time.
      if (this.phase.name === 'settling' && this.phase.kind === 'play' && now - this.phase.since < o.settleTimeoutMs) return;
      if (this.phase.name === 'settling') this.phase = { name: 'tracking' };
      if (now < this.playRetryAfter) return;
      this.cuePlay(player, target, now, s);
      return;
    }
    if (this.flagState.stalled) return;

    const m = this.measure(player, target, now, frame);
    if (m === null) return;
    const { error, at } = m;

    if (this.phase.name === 'settling') {
      if (!this.settled(m.actual, at, target.rate, now)) return;
      this.finishSettling(error, target.rate, key);
    }

    if (this.detectStall(player, m.actual, now)) return;

    this.errors.push(error);
    if (this.errors.length > o.filterSize) this.errors.shift();
    const filtered = trimmedMean(this.errors, o.filterTrim);
    this.drift = filtered;

    let threshold = this.seekThreshold(player);
    if (this.resync) {
      threshold = Math.min(threshold, o.resyncSeekThresholdMs);
      this.resync = false;
    }
    if (Math.abs(filtered) > threshold || (Math.abs(error) > threshold && this.errors.length < 3)) {
      this.startSeek(player, target, s, now, this.seekStyle(player), filtered, 'large_error');
      return;
    }
    const dt = this.lastControlAt === null ? 0 : Math.min(200, Math.max(0, now - this.lastControlAt));
    this.lastControlAt = now;
    if (player.rateControl === 'coarse') this.controlCoarse(player, target, filtered, base, s);
    else this.controlContinuous(player, filtered, base, dt, s);
  }

  /** Position error now; from the frame when one is given, else from `currentTime()`. */
  private measure(
    player: PlayerAdapter,
    target: Target,
    now: number,
    frame?: FrameSample,
  ): { error: number; actual: number; at: number } | null {
    if (frame) {
      const t = this.deps.timeline.targetAt(this.deps.clock.toServerTime(frame.presentedAt));
      if (!t || stateKey(t) !== stateKey(target)) return null;
      this.lastFrameAt = now;
      return { error: frame.mediaTimeMs - t.position, actual: frame.mediaTimeMs, at: frame.presentedAt };
    }
    // Frames are being reported: they measure better than a position read between frames.
    if (now - this.lastFrameAt < this.options.frameSampleFreshMs) return null;
    const actual = player.currentTime();
    return { error: actual - target.position, actual, at: now };
  }

  // ---- rate control --------------------------------------------------------------------------

  private controlContinuous(player: PlayerAdapter, e: number, base: number, dt: number, s: number): void {
    const o = this.options;
    if (!this.correcting) {
      if (Math.abs(e) < o.startBandMs) {
        this.setRate(player, base);
        return;
      }
      this.correcting = true;
      this.episodeSign = Math.sign(e);
      this.integral = 0;
      this.record({ kind: 'rate', cause: 'drift', errorMs: e, atServerTime: s });
    }
    if (Math.abs(e) <= o.snapBandMs || Math.sign(e) !== this.episodeSign) {
      this.correcting = false;
      this.integral = 0;
      this.setRate(player, base);
      return;
    }
    const gain = 1 / (base * o.timeConstantMs);
    let integralTerm = 0;
    if (o.integralTimeMs > 0) {
      this.integral += e * dt;
      // Anti-windup: the integral alone never asks for more than the largest adjustment.
      const maxIntegral = (o.maxRateAdjust / gain) * o.integralTimeMs;
      this.integral = Math.max(-maxIntegral, Math.min(maxIntegral, this.integral));
      integralTerm = this.integral / o.integralTimeMs;
    }
    let u = -(e + integralTerm) * gain;
    u = Math.max(-o.maxRateAdjust, Math.min(o.maxRateAdjust, u));
    u = Math.sign(u) * Math.max(o.rateQuantum, Math.ceil(Math.abs(u) / o.rateQuantum - 1e-9) * o.rateQuantum);
    u = Math.max(-o.maxRateAdjust, Math.min(o.maxRateAdjust, u));
    let rate = base * (1 + u);
    if (player.minRate !== undefined) rate = Math.max(player.minRate, rate);
    if (player.maxRate !== undefined) rate = Math.min(player.maxRate, rate);
    this.setRate(player, rate);
  }

  private controlCoarse(player: PlayerAdapter, target: Target, e: number, base: number, s: number): void {
    const o = this.options;
    const roomRate = target.rate;
    if (this.pulse) {
      if (Math.abs(e) <= o.snapBandMs || Math.sign(e) !== this.pulse.sign) this.endPulse(true);
      return;
    }
    if (Math.abs(e) < o.coarseMinErrorMs) {
      this.setRate(player, base);
      return;
    }
    const allowed = player.allowedRates ?? [];
    const step = rateStep(allowed, base, e < 0);
    if (step === null) {
      this.startSeek(player, target, s, this.deps.local.now(), 'lead', e, 'large_error');
      return;
    }
    // The media gains (step − base) ms per ms on itself, and the room moves at roomRate.
    const gainPerMs = Math.abs(step - roomRate);
    const duration = Math.min(o.coarseMaxPulseMs, Math.abs(e) / Math.max(gainPerMs, 1e-3));
    this.setRate(player, step);
    const sign = Math.sign(e);
    this.record({ kind: 'rate', cause: 'drift_pulse', errorMs: e, atServerTime: s });
    this.pulse = {
      sign,
      timer: this.deps.timers.setTimeout(() => {
        this.pulse = null;
        this.errors = [];
        const target = this.currentTarget();
        if (this.player && target) this.setRate(this.player, this.baseRate(this.player, target.rate));
      }, duration),
    };
  }

  private endPulse(restore: boolean): void {
    if (!this.pulse) return;
    this.deps.timers.clearTimeout(this.pulse.timer);
    this.pulse = null;
    this.errors = [];
    if (restore && this.player) {
      const target = this.currentTarget();
      if (target) this.setRate(this.player, this.baseRate(this.player, target.rate));
    }
  }

  private baseRate(player: PlayerAdapter, roomRate: number): number {
    if (player.rateControl === 'coarse' && player.allowedRates?.length) return nearestRate(player.allowedRates, roomRate);
    return roomRate;
  }

  private setRate(player: PlayerAdapter, rate: number): void {
    if (Math.abs(player.rate() - rate) > 1e-9) player.setRate(rate);
  }

  // ---- seeks and cued starts -----------------------------------------------------------------

  private seekThreshold(player: PlayerAdapter): number {
    return player.rateControl === 'coarse' ? this.options.coarseSeekThresholdMs : this.options.seekThresholdMs;
  }

  private seekStyle(player: PlayerAdapter): 'cue' | 'lead' {
    const style = this.options.seekStyle;
    if (style !== 'auto') return style;
    return player.rateControl === 'coarse' ? 'lead' : 'cue';
  }

  /**
   * How early the controller wakes before a scheduled change: the play latency (plus its deviation)
   * and a margin, so a PLAY can be cued. Ticks look a little further (`+ 10 ms`) than the wake-up, so
   * the wake-up tick always sees the change coming.
   */
  private lookahead(): number {
    return Math.min(500, this.playLatency.upper(1)) + 25;
  }

  private horizon(): number {
    return this.lookahead() + 10;
  }

  private startSeek(
    player: PlayerAdapter,
    target: Target,
    s: number,
    now: number,
    style: SeekStyle,
    errorMs: number,
    cause: string,
  ): void {
    const o = this.options;
    this.endPulse(false);
    this.resetLoop();
    let leadMs = 0;
    if (style === 'cue') leadMs = this.seekLatency.upper(2) + o.seekMarginMs;
    else if (style === 'lead') leadMs = this.seekLead.mean;
    const destination = style === 'paused' ? target.position : positionAt(target.state, s + leadMs);
    const timer = this.deps.timers.setTimeout(() => this.onSeeked(true), o.seekTimeoutMs);
    this.phase = {
      name: 'seeking',
      style,
      startedAt: now,
      target: destination,
      reachAt: now + leadMs,
      key: stateKey(target),
      timer,
    };
    this.record({ kind: 'seek', cause, errorMs, atServerTime: s });
    this.setRate(player, this.baseRate(player, target.rate));
    if (style === 'cue' && !player.paused()) player.pause();
    player.seek(destination);
  }

  private onSeeked(timedOut = false): void {
    const phase = this.phase;
    if (phase.name !== 'seeking') return;
    this.deps.timers.clearTimeout(phase.timer);
    const now = this.deps.local.now();
    if (!timedOut && phase.style !== 'lead') this.seekLatency.update(now - phase.startedAt);
    this.setFlags({ loading: false });
    this.errors = [];
    if (phase.style === 'lead') this.enterSettling('seek', phase.startedAt, phase.reachAt, phase.key);
    else this.phase = { name: 'tracking' };
    // Act on the landing at once (a cued start is due soon); inside a tick, right after it.
    if (this.ticking) this.deps.timers.setTimeout(() => this.tick(), 0);
    else this.tick();
  }

  /**
   * Start `target` (a playing state) on a paused player: find the instant the room reaches the
   * player's position and call `play()` that instant minus the play latency. Too far either way:
   * seek instead.
   */
  private cuePlay(player: PlayerAdapter, target: Target, now: number, s: number): void {
    const o = this.options;
    const a = player.currentTime();
    const anchor = target.state;
    const reachServer = anchor.anchorServerTime + (a - anchor.anchorMediaTime) / anchor.playbackRate;
    const lateMs = s - reachServer;
    const current = this.deps.timeline.targetAt(s);
    if (lateMs * anchor.playbackRate > this.seekThreshold(player) || -lateMs > o.maxCueWaitMs) {
      if (current?.playing) {
        this.startSeek(player, current, s, now, 'cue', a - current.position, 'large_error');
      } else if (current && Math.abs(a - current.position) > o.pausedToleranceMs) {
        this.startSeek(player, current, s, now, 'paused', a - current.position, 'paused_position');
      }
      return;
    }
    this.setRate(player, this.baseRate(player, anchor.playbackRate));
    const reachLocal = this.deps.clock.toLocalTime(reachServer);
    const playAt = reachLocal - this.playLatency.mean;
    const key = stateKey({ ...target, playing: true });
    if (playAt - now <= 1) {
      this.startPlay(player, now, reachLocal, key);
      return;
    }
    const seq = target.state.sequenceNumber;
    const timer = this.deps.timers.setTimeout(() => {
      if (this.phase.name !== 'cued' || this.player !== player) return;
      this.phase = { name: 'tracking' };
      this.startPlay(player, this.deps.local.now(), reachLocal, key);
    }, playAt - now);
    this.phase = { name: 'cued', seq, playAt, timer };
  }

  private startPlay(player: PlayerAdapter, calledAt: number, reachAt: number, key: string): void {
    this.resetLoop();
    this.enterSettling('play', calledAt, reachAt, key);
    player.play().catch((error: unknown) => {
      if (this.player !== player) return;
      if (this.phase.name === 'settling') this.phase = { name: 'tracking' };
      if (isAutoplayBlocked(error)) this.setFlags({ autoplayBlocked: true });
      else this.playRetryAfter = this.deps.local.now() + 500;
    });
  }

  private enterSettling(kind: 'play' | 'seek', calledAt: number, reachAt: number, key: string): void {
    this.phase = { name: 'settling', kind, since: this.deps.local.now(), calledAt, reachAt, key, last: null, steady: 0 };
  }

  /** Whether the media has advanced at about `rate` over the last two samples (or settling timed out). */
  private settled(actual: number, at: number, rate: number, now: number): boolean {
    const phase = this.phase;
    if (phase.name !== 'settling') return true;
    if (now - phase.since > this.options.settleTimeoutMs) {
      this.phase = { name: 'tracking' };
      return true;
    }
    const last = phase.last;
    if (last && at - last.t >= 8) {
      const speed = (actual - last.a) / (at - last.t);
      phase.steady = Math.abs(speed - rate) <= 0.2 * rate ? phase.steady + 1 : 0;
      phase.last = { t: at, a: actual };
    } else if (!last) {
      phase.last = { t: at, a: actual };
    }
    return phase.steady >= 2;
  }

  /** Fold the error right after settling into the latency estimate it measures. */
  private finishSettling(error: number, rate: number, key: string): void {
    const phase = this.phase;
    this.phase = { name: 'tracking' };
    if (phase.name !== 'settling' || phase.key !== key) return;
    // The media started (or resumed) `latency` after the call; the room reached the start position
    // `reachAt − calledAt` after it; the difference shows up as error: −(latency − (reach − call))·rate.
    const latency = phase.reachAt - phase.calledAt - error / rate;
    if (phase.kind === 'play') this.playLatency.update(latency);
    else this.seekLead.update(latency);
  }

  // ---- events --------------------------------------------------------------------------------

  private onWaiting(): void {
    // Our own seeks and starts make the player wait; that is not buffering. (A real stall then is
    // still caught: by a slow seek's `loading`, or by the media not advancing.)
    if (this.phase.name !== 'tracking') return;
    if (!this.currentTarget()?.playing) return;
    this.setFlags({ stalled: true });
  }

  private onPlaying(): void {
    if (this.flagState.stalled) {
      this.setFlags({ stalled: false });
      this.resetLoop();
      this.resync = true;
    }
  }

  private onInterrupted(active: boolean): void {
    this.setFlags({ interrupted: active });
    if (active) {
      this.cancelPhase();
      this.endPulse(false);
    }
    this.resetLoop();
    this.resync = !active;
  }

  private detectStall(player: PlayerAdapter, actual: number, now: number): boolean {
    if (!this.lastMedia || Math.abs(actual - this.lastMedia.a) > 1) {
      this.lastMedia = { a: actual, at: now };
      if (this.flagState.stalled) {
        this.setFlags({ stalled: false });
        this.resync = true;
      }
      return false;
    }
    if (!player.paused() && now - this.lastMedia.at > this.options.stallDetectMs) {
      this.setFlags({ stalled: true });
      return true;
    }
    return false;
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private onTargetChange(key: string): void {
    this.lastKey = key;
    this.resetLoop();
    this.endPulse(false);
    this.pausedSeeks = 0;
    this.ended = false;
    this.playRetryAfter = Number.NEGATIVE_INFINITY;
    // A start cued for this very state keeps settling; anything else in flight is stale.
    if (this.phase.name === 'settling' && this.phase.key !== key) this.phase = { name: 'tracking' };
  }

  private resetLoop(): void {
    this.errors = [];
    this.correcting = false;
    this.integral = 0;
    this.lastControlAt = null;
    this.lastMedia = null;
  }

  private cancelPhase(): void {
    const phase = this.phase;
    if (phase.name === 'seeking' || phase.name === 'cued') this.deps.timers.clearTimeout(phase.timer);
    this.phase = { name: 'tracking' };
  }

  private record(correction: Correction): void {
    this.correction = correction;
    this.deps.onChange?.();
  }

  private setFlags(patch: Partial<ControllerFlags>): void {
    let changed = false;
    for (const k of Object.keys(patch) as Array<keyof ControllerFlags>) {
      if (this.flagState[k] !== patch[k]) {
        this.flagState[k] = patch[k]!;
        changed = true;
      }
    }
    if (changed) this.deps.onChange?.();
  }

  /** Arm a timer for the next scheduled change (early by the lookahead, so a PLAY can be cued). */
  private armWake(): void {
    if (!this.player || !this.deps.clock.ready) return;
    const now = this.deps.local.now();
    const s = this.deps.clock.toServerTime(now);
    const next = this.deps.timeline.nextChangeAfter(s);
    if (next === null) {
      this.clearWake();
      return;
    }
    let at = this.deps.clock.toLocalTime(next) - this.lookahead();
    if (at <= now) at = this.deps.clock.toLocalTime(next);
    if (this.wake && Math.abs(this.wake.at - at) < 0.5) return;
    this.clearWake();
    this.wake = {
      at,
      timer: this.deps.timers.setTimeout(
        () => {
          this.wake = null;
          this.tick();
        },
        Math.max(0, at - now),
      ),
    };
  }

  private clearWake(): void {
    if (this.wake) {
      this.deps.timers.clearTimeout(this.wake.timer);
      this.wake = null;
    }
  }
}
