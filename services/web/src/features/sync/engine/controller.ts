/**
 * The closed loop that keeps one player on the room's timeline.
 *
 * At every tick the controller compares where the media is (`actual`) with where the room says it
 * should be at this server time (`expected`, from the anchor model) and acts on
 * `error = actual − expected` (positive: ahead of the room). Ticks come from the caller: the
 * engine's own interval (50 ms), plus one per presented frame when the page has
 * `requestVideoFrameCallback`.
 *
 * **Measurement: the media clock.** Every sample is `currentTime()` against the local clock read at
 * the same moment. A presented frame's time (`expectedDisplayTime`) is not used: it is quantised to
 * the display's refresh (16.7 ms at 60 Hz), so a loop fed with it chases the quantisation (measured
 * in the browser bench: drift readings in 16.7 ms steps and a rate change at every report). At rate
 * 1 Chromium's media clock is smooth to ~0.1 ms. Frame callbacks only make the loop tick more often.
 *
 * **Filter: the median of a 0.5 s window** (`filterWindowMs`, at least `minWindowSamples`): robust
 * to outliers (a timer that fired late, a clock blip) and, unlike an average, without a tail. A
 * rate decision waits for a full window of fresh samples; samples are dropped after every seek,
 * start, stall and rate pulse. **Right after a start** (a cued `play()`, a seek, a new room state)
 * the first decision uses a 0.2 s window (`startWindowMs`) and a steeper, shorter pulse (up to 20 %
 * over 200 ms): a cued start lands within ~±11 ms in headless Chromium (the audio output's start),
 * and the error it leaves is corrected ~0.3 s after the start instead of ~0.6 s. Later decisions
 * also need the filtered error to stand beyond the band for `persistMs` (0.5 s): a move of the clock
 * estimate, or one odd window, does not get a pulse and its dip.
 *
 * **Small errors: one timed rate pulse, then exactly the room's rate.** When the filtered error is at
 * least `startBandMs` (6 ms, see below), the controller sets ONE rate, sized to remove it over
 * `correctionHorizonMs` (500 ms; |rate − roomRate| ≤ `maxRateAdjust` = 10 %, so errors over 50 ms
 * take longer), holds it for exactly the time that removes the error (a timer), and returns to the
 * room's rate. Then it
 * ignores the media for `rateSettleMs` (300 ms) and measures a fresh window: the next decision is
 * made on a clean reading at rate 1, ~0.8 s after the pulse. It aims at zero, not at the edge of a
 * band (no ratchet), and it makes two rate changes per correction instead of one per tick — each
 * one costs something in Chromium:
 *
 * **The cost of a rate change is learned.** In Chromium with an audio track, changing the rate away
 * from 1 moves `currentTime` back by ~15–18 ms at once (the audio renderer restarts its clock; while
 * at a rate ≠ 1 the clock advances in a sawtooth of ~10 ms every ~160 ms), and going back to 1
 * costs nothing; the bench showed the media (and the frames) really lag by that much afterwards. A
 * pulse sized for the error alone therefore left every viewer ~17 ms behind, for ever (its gain
 * equalled its cost). So the controller keeps, per base rate, an EWMA (`pulseCostGain` 1/2) of
 * `residual after the pulse − residual it aimed at` and sizes the next pulse to remove
 * `error + cost`: with a cost of −16 ms, an error of −17 ms gets a pulse of +33 ms, an error of
 * +16 ms a pulse of almost nothing. Samples further off than `maxPulseCostMs` (40 ms) are not a
 * pulse's cost (something else moved the media) and are ignored. The prior, before any pulse, is the
 * adapter's `rateChangeLagMs` at base rate 1 (20 ms for `<video>` in Chromium: 16–25 ms measured
 * over pulses of 40–500 ms at rates 0.75–1.25) and 0 otherwise; with such a prior the learned cost
 * stays within half of it either way (one window's median also carries the clock estimate's moves).
 *
 * The dead band is sized to that cost, not to the measurement noise (which is ~0.1 ms): a pulse
 * makes the media dip by ~16 ms for a few hundred ms before it gains, so correcting a 4 ms error
 * does more harm at the 95th percentile than leaving it (bench, band 4 ms: one such dip kept a
 * pair beyond 17 ms 5 s after a seek). Within ±6 ms per viewer, pairs stay within 12 ms.
 *
 * **Coarse players** (YouTube: rates in 0.25 steps) cannot nudge. For errors over
 * `coarseMinErrorMs` (20 ms) they switch to the neighbouring allowed rate for exactly the time that
 * removes the error (`|e| / |Δrate|`, by a timer, so the pulse's precision does not depend on the
 * tick), and leave smaller errors alone; they seek only beyond `coarseSeekThresholdMs` (1 s).
 *
 * **Large errors: a hard seek** when the filtered error — or each of the last three samples, so a
 * jump is seen at once — is beyond `seekThresholdMs` (400 ms), or beyond
 * `resyncSeekThresholdMs` (60 ms) for the first correction after a discontinuity the viewer sees
 * anyway (the tap on "join playback", the end of a stall or an ad), where rate correction of a few
 * hundred ms would take seconds.
 *
 * **Seeks compensate the device's own seek latency.** A seek is not instant
 * (50–300 ms, more when data must be fetched), and during it the room moves on. Two styles:
 *
 * - `cue` (default for continuous players): pause, seek to where the room will be after the
 *   estimated seek time plus a margin (`mean + 2·deviation + 30 ms`, Jacobson/Karels style, so the
 *   seek almost always finishes in time) plus the start-up latency of `play()`, wait for `seeked`,
 *   read where the media actually landed, and start `play()` at the local instant the room reaches
 *   that position (minus the measured start-up latency of `play()`). The result does not depend on
 *   how long the seek took or where it landed, only on the timer and the play latency estimate.
 *   Seeks into media the player says is buffered (`bufferedAt`) have their own estimate (prior
 *   50 ms; headless Chromium with a local file: 5–30 ms) apart from those that may fetch (250 ms).
 * - `lead` (default for coarse players, whose pause shows overlays): seek while playing to
 *   `expected + estimatedLatency × rate`; once playback has settled, measure the remaining error and
 *   fold the effective latency (`lead − error / rate`) into the estimate.
 *
 * Both estimates are EWMAs (gain 1/4) with a mean deviation, seeded by the first measurement. The
 * time from a seek (or a play) until the media advances steadily again is never counted as drift:
 * samples are skipped until three consecutive intervals show the media advancing at the expected
 * rate (Chromium's media clock first runs ~18 ms ahead after `play()`, then stands still until the
 * audio output starts, 64–86 ms after the call). The adapter may announce its platform's start-up
 * latency (`playLatencyMs`: 75 ms for `<video>` in Chromium) as the prior.
 *
 * **Paused**: the media is paused and, when it is off the anchor position by more than about a frame
 * (`pausedToleranceMs`), seeked there exactly (at most `maxPausedSeeks` tries per state).
 *
 * **Scheduled commands**: the timeline keeps the previous state until a command's `atServerTime`;
 * the controller arms a timer for the next change so it acts on time, not at the next tick. A
 * **scheduled SEEK while playing is prepared ahead** (seek while waiting): a cue lead before its
 * `atServerTime` the player pauses, seeks to the jump's position (or, when the command came too late
 * for that, to where the room will be once the seek and `play()` are done) and is cued, so the media
 * starts from the new position at the very instant the jump takes effect instead of a seek's and a
 * start's time after it. It stands on the new frame for that lead (~0.1–0.2 s once the seek latency
 * is known) while the room's old state still runs: the same pause a seek at the instant would make,
 * moved before it. A PLAY is cued like a seek: `play()` is called the measured start-up latency
 * before the instant, so the media starts moving at it. Because each command carries the full anchored state, a command that
 * arrives late needs no special case: the expected position is simply computed from it.
 *
 * Interruptions suspend the loop: an ad (`interrupted`), a stall (`waiting`/`stalled`, or the media
 * not advancing for a second while it should), autoplay being blocked (until a user gesture), and the
 * media having ended while the room plays on past it. A stall ends on `playing` or as soon as the
 * media is seen advancing (more than 1 ms from where it stood), whichever comes first: browsers
 * send `waiting` without a `playing` after it, which used to latch the loop off.
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
  /** A rate correction starts when the filtered error reaches this (ms): the dead band. */
  startBandMs: number;
  /**
   * ...and has stood there this long (ms; not for the first decision after a start): a move of the
   * clock estimate, or one odd window, does not get a pulse.
   */
  persistMs: number;
  /** A continuous correction removes the error over this time, at one constant rate (ms). */
  correctionHorizonMs: number;
  /** After a rate change back to the room's rate, samples are ignored this long (ms). */
  rateSettleMs: number;
  /** Gain of the EWMA of the media's shift per rate pulse (the player's own cost of a pulse). */
  pulseCostGain: number;
  /** A pulse that missed by more than this measured something else, not its cost (ms). */
  maxPulseCostMs: number;
  /** Coarse players correct errors from this size on, by timed rate steps (ms). */
  coarseMinErrorMs: number;
  /** Longest coarse rate pulse (ms). */
  coarseMaxPulseMs: number;
  /** The error filter is the median of the samples of this last window (ms). */
  filterWindowMs: number;
  /** Samples a full window needs before a rate correction is decided. */
  minWindowSamples: number;
  /**
   * The first decision after a start (a cued `play()`, the end of a seek) uses this shorter window
   * (ms): the start's error is measured once the media runs steadily, and a start that landed off
   * is corrected a few hundred ms after it instead of after a full `filterWindowMs`.
   */
  startWindowMs: number;
  /** Samples the start window needs. */
  minStartWindowSamples: number;
  /** The correction after a start removes the error over this time (ms)... */
  startCorrectionHorizonMs: number;
  /** ...with at most this relative rate adjustment (the pulse's cost does not depend on its size). */
  startMaxRateAdjust: number;
  /** `cue`, `lead`, or `auto` (cue for continuous players, lead for coarse ones). */
  seekStyle: 'auto' | 'cue' | 'lead';
  /** Seek latency assumed before any was measured (ms). */
  initialSeekLatencyMs: number;
  /**
   * The same for a seek into media the player says is buffered (`PlayerAdapter.bufferedAt`): no
   * fetch, only a decode from the previous keyframe (headless Chromium, local H.264: 5–30 ms).
   */
  initialBufferedSeekLatencyMs: number;
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
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  seekThresholdMs: 400,
  coarseSeekThresholdMs: 1000,
  resyncSeekThresholdMs: 60,
  pausedToleranceMs: 17,
  maxPausedSeeks: 3,
  maxRateAdjust: 0.1,
  startBandMs: 6,
  persistMs: 500,
  correctionHorizonMs: 500,
  rateSettleMs: 300,
  pulseCostGain: 0.5,
  maxPulseCostMs: 40,
  coarseMinErrorMs: 20,
  coarseMaxPulseMs: 4000,
  filterWindowMs: 500,
  minWindowSamples: 6,
  startWindowMs: 200,
  minStartWindowSamples: 4,
  startCorrectionHorizonMs: 200,
  startMaxRateAdjust: 0.2,
  seekStyle: 'auto',
  initialSeekLatencyMs: 250,
  initialBufferedSeekLatencyMs: 50,
  initialPlayLatencyMs: 15,
  latencyGain: 0.25,
  seekMarginMs: 30,
  maxCueWaitMs: 1500,
  loadingAfterMs: 1000,
  seekTimeoutMs: 3000,
  settleTimeoutMs: 3000,
  stallDetectMs: 1000,
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
      /** The latency estimate this seek measures (buffered or not). */
      estimate: LatencyEstimate;
      target: number;
      /** Local time at which the room reaches `target` (lead seeks). */
      reachAt: number;
      key: string;
      timer: TimerHandle;
    }
  | {
      name: 'cued';
      seq: number;
      /** Server time from which the cued state is in force (its anchor). */
      from: number;
      playAt: number;
      timer: TimerHandle;
    }
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

/** Median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export class SyncController {
  readonly options: ControllerOptions;
  /** Time from `seek()` to `seeked` (cue and paused seeks). */
  readonly seekLatency: LatencyEstimate;
  /** The same, for seeks into media the player has buffered (it says so: `bufferedAt`). */
  readonly bufferedSeekLatency: LatencyEstimate;
  /** Effective lag of a seek while playing (lead seeks). */
  readonly seekLead: LatencyEstimate;
  /** Time from `play()` until the media advances. */
  readonly playLatency: LatencyEstimate;

  private player: PlayerAdapter | null = null;
  private unsubscribe: Array<() => void> = [];
  private phase: Phase = { name: 'tracking' };
  private lastKey: string | null = null;
  /** Error samples of the filter window: local time, error (ms). */
  private samples: Array<{ t: number; e: number }> = [];
  /** Samples before this (local) are not taken: the media clock is settling after a rate change. */
  private quietUntil = Number.NEGATIVE_INFINITY;
  /** When the first sample of the current window was taken (null: none since the last reset). */
  private windowStart: number | null = null;
  private pulse: { sign: number; timer: TimerHandle } | null = null;
  /** Error the last continuous pulse should have left, were pulses free (null: none to check). */
  private pulseExpect: number | null = null;
  /** The base rate of the last continuous pulse (its cost is learned per base rate). */
  private pulseBase = 1;
  /** Learned shift of the media per continuous rate pulse, besides the rate's own gain, per base rate (ms). */
  private readonly pulseCosts = new Map<number, number>();
  private pausedSeeks = 0;
  private ended = false;
  private lastMedia: { a: number; at: number } | null = null;
  private playRetryAfter = Number.NEGATIVE_INFINITY;
  private wake: { at: number; timer: TimerHandle } | null = null;
  private ticking = false;
  private drift: number | null = null;
  private resync = false;
  /** The next decision is the first after a start: it uses the short start window. */
  private fresh = false;
  /** Since when (local) the filtered error has stood beyond the band, and on which side. */
  private beyond: { since: number; sign: number } | null = null;
  /**
   * A scheduled jump (a SEEK while playing) the player was already seeked and cued for: the state's
   * sequence number and the server time it takes effect. Until then the room's old state is still
   * in force, and the player waits on the new position.
   */
  private preroll: { seq: number; at: number } | null = null;
  private correction: Correction = { kind: 'none' };
  private readonly flagState: ControllerFlags = { stalled: false, interrupted: false, autoplayBlocked: false, loading: false };

  constructor(private readonly deps: ControllerDeps) {
    this.options = { ...DEFAULT_CONTROLLER_OPTIONS, ...deps.options };
    const o = this.options;
    const g = o.latencyGain;
    const s = o.initialSeekLatencyMs;
    this.seekLatency = new LatencyEstimate(s, s / 4, g);
    const b = o.initialBufferedSeekLatencyMs;
    this.bufferedSeekLatency = new LatencyEstimate(b, b / 4, g);
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
    // The platform's start-up latency, until this controller has measured one.
    if (player?.playLatencyMs !== undefined && this.playLatency.count === 0) {
      this.playLatency.mean = player.playLatencyMs;
      this.playLatency.deviation = player.playLatencyMs / 4;
    }
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
   * One control step. `frame`: the frame just presented (from `requestVideoFrameCallback`). It only
   * triggers the step: the error is always read from the media clock (`currentTime()` against the
   * local clock), since a presented frame's time is quantised to the display's refresh (16.7 ms at
   * 60 Hz) and would make the loop chase that quantisation.
   */
  tick(_frame?: FrameSample): void {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.step();
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

  private step(): void {
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
      const upcoming = this.deps.timeline.targetAt(Math.max(s + this.horizon(), this.phase.from));
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
    // A jump (a SEEK) is scheduled: seek and cue for it ahead of time, so that the media starts from
    // the new position at the very instant the jump takes effect.
    if (!blocked && this.prepareJump(player, target, now, s)) return;
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
    const m = this.measure(player, target, now);
    if (m === null) return;
    const { error, at } = m;

    // A stall ends when the media is seen advancing again (or on `playing`), whichever comes first.
    if (this.flagState.stalled && this.detectStall(player, m.actual, now)) return;

    if (this.phase.name === 'settling') {
      if (!this.settled(m.actual, at, target.rate, now)) return;
      this.finishSettling(error, target.rate, key);
    }

    if (this.detectStall(player, m.actual, now)) return;

    // Large errors: seek, whatever the rate is doing.
    let threshold = this.seekThreshold(player);
    if (this.resync) threshold = Math.min(threshold, o.resyncSeekThresholdMs);

    if (this.pulse) {
      // A timed rate change is running; its end restores the rate. Its samples are not filtered
      // (the media clock moves unevenly at a rate other than 1), but a jump still gets a seek.
      this.drift = error;
      if (Math.abs(error) > this.seekThreshold(player)) {
        this.startSeek(player, target, s, now, this.seekStyle(player), error, 'large_error');
      }
      return;
    }
    // Between corrections the rate is exactly the room's (a SET_RATE takes effect at once).
    this.setRate(player, base);
    if (now < this.quietUntil) {
      this.drift = error;
      return;
    }

    this.samples.push({ t: now, e: error });
    this.windowStart ??= now;
    // The first decision after a start looks at a short window: the start's own error, soon.
    const windowMs = this.fresh ? o.startWindowMs : o.filterWindowMs;
    while (this.samples.length > 0 && this.samples[0]!.t < now - windowMs) this.samples.shift();
    const filtered = median(this.samples.map((x) => x.e));
    this.drift = filtered;
    const n = this.samples.length;
    if (n < 3) return;
    this.resync = false;
    // A jump shows as the last three samples all beyond the threshold on one side: the median of a
    // window of older, good samples would take half a window to see it.
    const last3 = this.samples.slice(-3).map((x) => x.e);
    const jumped = last3.every((x) => Math.abs(x) > threshold && Math.sign(x) === Math.sign(error));
    if (Math.abs(filtered) > threshold || jumped) {
      const recent = median(last3);
      const e = Math.abs(recent) > threshold ? recent : filtered;
      this.startSeek(player, target, s, now, this.seekStyle(player), e, 'large_error');
      return;
    }
    if (n < (this.fresh ? o.minStartWindowSamples : o.minWindowSamples)) return;
    // Coarse players act on errors of 20 ms and more: a few samples will do.
    if (player.rateControl === 'coarse') {
      this.fresh = false;
      this.controlCoarse(player, target, filtered, base, s);
      return;
    }
    // Continuous rate decisions need a full window: a median over ~0.5 s is what makes them robust
    // (0.2 s right after a start, when the media clock has just been seen running steadily).
    if (now - (this.windowStart ?? now) < windowMs) return;
    this.controlContinuous(player, target, filtered, base, s);
  }

  /** Position error now, from the media clock: `currentTime()` against the local clock read with it. */
  private measure(player: PlayerAdapter, target: Target, now: number): { error: number; actual: number; at: number } {
    const actual = player.currentTime();
    return { error: actual - target.position, actual, at: now };
  }

  // ---- rate control --------------------------------------------------------------------------

  /**
   * One rate change sized to remove `e` over the correction horizon, held for exactly the time that
   * removes it (a timer), then back to the room's rate.
   */
  private controlContinuous(player: PlayerAdapter, target: Target, e: number, base: number, s: number): void {
    const o = this.options;
    const fresh = this.fresh;
    this.fresh = false;
    // The first full window after a pulse shows what the pulse really did: fold the difference
    // from what it should have done into the learned cost of a pulse.
    if (this.pulseExpect !== null) {
      // More than a pulse could cost is something else (a jump, a glitch): not a cost sample.
      const sample = e - this.pulseExpect;
      const known = this.pulseCosts.get(this.pulseBase);
      if (Math.abs(sample) <= o.maxPulseCostMs) {
        let next = known === undefined ? sample : known + o.pulseCostGain * (sample - known);
        // One window's median also carries the clock estimate's own moves: with a platform prior,
        // the learned cost stays within half of it either way (Chromium: 16–25 ms for a prior of 20).
        const prior = this.pulseBase === 1 ? (player.rateChangeLagMs ?? 0) : 0;
        if (prior > 0) next = Math.max(-1.5 * prior, Math.min(-0.5 * prior, next));
        this.pulseCosts.set(this.pulseBase, next);
      }
      this.pulseExpect = null;
    }
    if (Math.abs(e) < o.startBandMs) {
      this.beyond = null;
      this.setRate(player, base);
      return;
    }
    // Except right after a start, the filtered error must stand beyond the band for a while: a
    // move of the clock estimate or one odd window is not worth a pulse and its dip.
    if (!fresh) {
      const now = this.deps.local.now();
      const sign = Math.sign(e);
      if (this.beyond?.sign !== sign) this.beyond = { since: now, sign };
      if (now - this.beyond.since < o.persistMs) return;
    }
    this.beyond = null;
    // Remove `e` plus the pulse's own expected shift: e − G + cost = 0.
    // Before any pulse at this base rate: the player's prior (measured only away from rate 1).
    const cost = this.pulseCosts.get(base) ?? (base === 1 ? -(player.rateChangeLagMs ?? 0) : 0);
    const g = e + cost;
    // Right after a start: a shorter, steeper pulse (a rate pulse costs the same whatever its size).
    const horizon = fresh ? o.startCorrectionHorizonMs : o.correctionHorizonMs;
    const maxAdjust = fresh ? o.startMaxRateAdjust : o.maxRateAdjust;
    let u = -g / (base * horizon);
    u = Math.max(-maxAdjust, Math.min(maxAdjust, u));
    if (Math.abs(u) < 1e-3) u = g > 0 ? -1e-3 : 1e-3;
    let rate = base * (1 + u);
    if (player.minRate !== undefined) rate = Math.max(player.minRate, rate);
    if (player.maxRate !== undefined) rate = Math.min(player.maxRate, rate);
    // The media gains (rate − roomRate) ms per ms on the room.
    const gainPerMs = Math.abs(rate - target.rate);
    if (gainPerMs < 1e-6) return;
    const duration = Math.abs(g) / gainPerMs;
    this.record({ kind: 'rate', cause: 'drift', errorMs: e, atServerTime: s });
    this.pulseExpect = e - g;
    this.pulseBase = base;
    this.startPulse(player, rate, Math.sign(e), duration);
  }

  /** Set `rate` now and the base rate back after `duration`; the samples start afresh after that. */
  private startPulse(player: PlayerAdapter, rate: number, sign: number, duration: number): void {
    this.setRate(player, rate);
    this.pulse = {
      sign,
      timer: this.deps.timers.setTimeout(() => {
        this.pulse = null;
        this.clearSamples();
        this.quietUntil = this.deps.local.now() + this.options.rateSettleMs;
        const target = this.currentTarget();
        if (this.player && target) this.setRate(this.player, this.baseRate(this.player, target.rate));
      }, duration),
    };
  }

  private controlCoarse(player: PlayerAdapter, target: Target, e: number, base: number, s: number): void {
    const o = this.options;
    const roomRate = target.rate;
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
    this.record({ kind: 'rate', cause: 'drift_pulse', errorMs: e, atServerTime: s });
    this.startPulse(player, step, Math.sign(e), duration);
  }

  private endPulse(restore: boolean): void {
    if (!this.pulse) return;
    this.forgetPulse();
    this.deps.timers.clearTimeout(this.pulse.timer);
    this.pulse = null;
    this.clearSamples();
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

  /**
   * How long before the room reaches a cue seek's landing the seek is started: the seek's latency
   * (mean + 2 deviations), a margin to notice `seeked` and arm the timer, and the start-up latency
   * of `play()` (which is called that much before the instant).
   */
  private cueLead(player: PlayerAdapter, destination: number): number {
    return this.seekEstimate(player, destination).upper(2) + this.options.seekMarginMs + this.playLatency.mean;
  }

  /** The seek latency estimate for a seek to `destination`: buffered there or not. */
  private seekEstimate(player: PlayerAdapter, destination: number): LatencyEstimate {
    return player.bufferedAt?.(destination) ? this.bufferedSeekLatency : this.seekLatency;
  }

  /**
   * The next scheduled change, when it is a jump of the media while the room plays (a SEEK, or
   * anything whose new position is off the current timeline by more than the resync threshold):
   * its server time and the state it brings. Null otherwise.
   */
  private scheduledJump(s: number): { at: number; target: Target } | null {
    const timeline = this.deps.timeline;
    const current = timeline.targetAt(s);
    const at = timeline.nextChangeAfter(s);
    if (!current?.playing || at === null) return null;
    const next = timeline.targetAt(at);
    if (!next?.playing || next.state.sequenceNumber === current.state.sequenceNumber) return null;
    if (Math.abs(next.position - positionAt(current.state, at)) <= this.options.resyncSeekThresholdMs) return null;
    return { at, target: next };
  }

  /**
   * Seek while waiting: a jump scheduled within the cue lead is prepared now. The player pauses,
   * seeks to the jump's position (or, if too little time is left, to where the room will be once
   * the seek and `play()` are done) and is cued to start at the instant the room reaches it. The old
   * state is still in force until the jump: the player stands on the new frame a little early (the
   * seek's latency), instead of standing on it a little late as a seek at the jump would. Returns
   * whether the step is done.
   */
  private prepareJump(player: PlayerAdapter, target: Target, now: number, s: number): boolean {
    if (this.preroll) {
      const { seq, at } = this.preroll;
      const upcoming = this.deps.timeline.targetAt(at);
      if (target.state.sequenceNumber < seq && upcoming?.playing && upcoming.state.sequenceNumber === seq) {
        // Started for it already (`play()` goes out just before the instant): let it start.
        if (this.phase.name === 'settling') return true;
        if (player.paused()) {
          if (now >= this.playRetryAfter) this.cuePlay(player, upcoming, now, s);
          return true;
        }
      }
      this.preroll = null;
      return false;
    }
    const jump = this.scheduledJump(s);
    if (jump === null || jump.at - s > this.cueLead(player, jump.target.position) + 10) return false;
    this.preroll = { seq: jump.target.state.sequenceNumber, at: jump.at };
    const error = player.currentTime() - positionAt(jump.target.state, s);
    this.startSeek(player, jump.target, s, now, 'cue', error, 'scheduled_seek', jump.at);
    return true;
  }

  private startSeek(
    player: PlayerAdapter,
    target: Target,
    s: number,
    now: number,
    style: SeekStyle,
    errorMs: number,
    cause: string,
    notBefore = s,
  ): void {
    const o = this.options;
    this.endPulse(false);
    this.resetLoop();
    // Buffered at the destination or not (taken where the room is now: the lead moves it little).
    const estimate = this.seekEstimate(player, positionAt(target.state, Math.max(notBefore, s)));
    let leadMs = 0;
    if (style === 'cue') leadMs = estimate.upper(2) + o.seekMarginMs + this.playLatency.mean;
    else if (style === 'lead') leadMs = this.seekLead.mean;
    // Where the room will be when the seek has landed and `play()` has taken effect (and not
    // before `notBefore`: a jump prepared ahead of time lands on the jump's own position).
    const destination = style === 'paused' ? target.position : positionAt(target.state, Math.max(notBefore, s + leadMs));
    const timer = this.deps.timers.setTimeout(() => this.onSeeked(true), o.seekTimeoutMs);
    this.phase = {
      name: 'seeking',
      style,
      startedAt: now,
      estimate,
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
    if (!timedOut && phase.style !== 'lead') phase.estimate.update(now - phase.startedAt);
    this.setFlags({ loading: false });
    this.clearSamples();
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
      if (this.preroll) {
        // Prepared for a jump but landed too far from it: the next tick decides afresh.
        this.preroll = null;
        return;
      }
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
    this.phase = { name: 'cued', seq, from: anchor.anchorServerTime, playAt, timer };
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

  /** Whether the media has advanced at about `rate` over the last three samples (or settling timed out). */
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
    // Three intervals: Chromium's media clock first runs ~18 ms ahead after `play()`, then stands
    // still until the audio really starts (~65–85 ms after the call, measured in headless Chromium).
    return phase.steady >= 3;
  }

  /** Fold the error right after settling into the latency estimate it measures. */
  private finishSettling(error: number, rate: number, key: string): void {
    const phase = this.phase;
    this.phase = { name: 'tracking' };
    // The first correction after a start is decided on a short window.
    this.fresh = true;
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
    this.endPulse(true);
    // The stall ends on `playing`, or as soon as the media is seen moving on from here.
    const player = this.player;
    this.lastMedia = player ? { a: player.currentTime(), at: this.deps.local.now() } : null;
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

  /**
   * Whether the player is stalled, from the media clock: it is when the media has not moved for
   * `stallDetectMs` while it should; a stall (however it was flagged) ends when the media moves
   * more than 1 ms from where it stood, so no missing `playing` event can latch it.
   */
  private detectStall(player: PlayerAdapter, actual: number, now: number): boolean {
    if (!this.lastMedia) {
      this.lastMedia = { a: actual, at: now };
      return this.flagState.stalled;
    }
    if (Math.abs(actual - this.lastMedia.a) > 1) {
      this.lastMedia = { a: actual, at: now };
      if (this.flagState.stalled) {
        this.setFlags({ stalled: false });
        this.clearSamples();
        this.resync = true;
      }
      return false;
    }
    if (!player.paused() && now - this.lastMedia.at > this.options.stallDetectMs) {
      this.setFlags({ stalled: true });
      return true;
    }
    return this.flagState.stalled;
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private onTargetChange(key: string): void {
    this.lastKey = key;
    this.resetLoop();
    // A new state (a rate change too: leaving rate 1 costs Chromium its lag) is a fresh start.
    this.fresh = true;
    this.endPulse(false);
    this.pausedSeeks = 0;
    this.ended = false;
    this.playRetryAfter = Number.NEGATIVE_INFINITY;
    // A start cued for this very state keeps settling; anything else in flight is stale.
    if (this.phase.name === 'settling' && this.phase.key !== key) this.phase = { name: 'tracking' };
  }

  private resetLoop(): void {
    this.forgetPulse();
    this.clearSamples();
    this.quietUntil = Number.NEGATIVE_INFINITY;
    this.lastMedia = null;
  }

  private clearSamples(): void {
    this.samples = [];
    this.windowStart = null;
    this.beyond = null;
  }

  /** The pulse running now is cut short (or its effect mixed with a seek): it measures nothing. */
  private forgetPulse(): void {
    this.pulseExpect = null;
  }

  private cancelPhase(): void {
    this.preroll = null;
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
    // A jump is prepared a cue lead ahead (seek while waiting); anything else a play latency ahead.
    const jump = this.scheduledJump(s);
    const early = jump?.at === next ? this.cueLead(this.player, jump.target.position) + 5 : this.lookahead();
    let at = this.deps.clock.toLocalTime(next) - early;
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
