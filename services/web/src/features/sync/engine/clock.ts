/**
 * Clock synchronisation: where the server's clock is, seen from this tab.
 *
 * Every viewer's wall clock can be wrong by minutes, so nothing in sync uses `Date.now()`. The
 * engine reads a monotonic, high-resolution {@link LocalClock} and learns the offset to the
 * server's clock with NTP-style probes (`time:ping {t0}` → `time:pong {t0, t1, t2}`, `t3` on
 * arrival):
 *
 *     offset = ((t1 − t0) + (t2 − t3)) / 2        server clock − local clock
 *     delay  = (t3 − t0) − (t2 − t1)              round trip minus the server's own time
 *
 * One probe's offset is wrong by half the difference of its two one-way delays, and since neither
 * one-way delay can be negative that error is at most `delay / 2`: each probe brackets the true
 * offset in `[−(t3 − t2), t1 − t0]`. Queueing (jitter) only ever adds delay, so the classic
 * **minimum-delay filter** keeps the probe with the smallest delay, the one that found the path idle.
 *
 * This filter applies the minimum **per leg**: over a window of recent samples it takes the
 * tightest upper bound `min(t1 − t0)` (the probe that went up fastest) and the tightest lower bound
 * `−min(t3 − t2)` (the one that came back fastest), i.e. the intersection of all the probes'
 * brackets, and uses its midpoint. When one probe is fastest both ways this is exactly the
 * min-delay sample; otherwise it is strictly better: with jitter J per leg and N probes, a single
 * probe idle on *both* legs at once is rare (its residual is ~J·√(2/N)), while each leg's own
 * minimum is ~J/N. What no probe can see is a *fixed* asymmetry of the path (e.g. 60 ms up, 40 ms
 * down): it biases every estimate by half of it. That is a limit of two-way time transfer, not of
 * this code.
 *
 * Samples age: the local oscillator drifts against the server's (tens of ppm; more across sleep and
 * thermal changes), so an old sample's bracket is stale by up to `age × drift`. Each bracket is
 * therefore widened by `age × maxDriftPpm` (the "dispersion" of NTP's clock filter) before the
 * intersection; at most `windowSize` samples no older than `maxSampleAgeMs` are kept. Half the
 * intersection's width is the estimate's error bound ({@link ClockSync.uncertainty}).
 *
 * A step in the local clock (machine sleep, a VM migration) or the server's makes new samples
 * inconsistent with the estimate beyond their bounds. Such a sample flushes the window (every older
 * sample belongs to the other timebase) and starts a new burst, so the estimate follows within a
 * few hundred ms instead of waiting for old samples to age out.
 *
 * Schedule: a burst of `burstCount` pings `burstSpacingMs` apart at start and reconnect (32 × 60 ms:
 * about 2 s at ~17 frames/s against the gateway's 30/s limit; the estimate is `ready` after
 * `readySamples` of them), then steady pings to follow drift and keep each leg's minimum fresh; a
 * detected step re-bursts. The steady cadence follows the path's **jitter** (EWMA of each sample's
 * delay above the window's minimum): every `steadyIntervalMs` (2 s) on a quiet path, down to every
 * `minSteadyIntervalMs` (0.25 s) when the jitter is `jitterRefMs × 8` or more. The error of a per-leg
 * minimum scales with jitter / samples, while ageing (`maxDriftPpm`) limits how old a useful sample
 * may be: on a jittery path only more samples per second help, and a quiet path needs few.
 *
 * Measured in a seeded simulation of the browser bench's link (`clock.test.ts`: 250 ms one way,
 * uniform ±20 % jitter per chunk, 2 % spikes of 50–150 ms, FIFO per direction, 50 ppm drift), the
 * worst error 20 s to 3 min after connecting, over 20 seeds: 8–9.5 ms with 16 burst pings, a
 * 32-sample window and a ping every 2 s; ~4.4 ms with 32 burst pings, 128 samples and a ping
 * every 0.5 s on that path; 3.9 ms with pings down to every 0.25 s — and 8 s to 1 min after
 * connecting (where a watch party starts) 7.2 ms with 0.5 s, 2.5 ms with 0.25 s. A ping is one small
 * frame each way, answered inline by the gateway; 4 a second stays far below its 30 frames/s.
 */
import type { TimePing, TimePong } from '@/lib/protocol/v1.gen';

/** A monotonic, high-resolution clock in ms. Its epoch does not matter; only its rate does. */
export interface LocalClock {
  now(): number;
}

/**
 * The browser's clock: `performance.timeOrigin + performance.now()` (monotonic, sub-ms, unaffected
 * by wall-clock changes). Read when called, so importing this module touches no DOM global.
 */
export function browserClock(): LocalClock {
  return { now: () => performance.timeOrigin + performance.now() };
}

/** One completed probe. `t0`, `t3` are local; `t1`, `t2` server. */
export interface ClockSample {
  t0: number;
  t1: number;
  t2: number;
  t3: number;
  /** Server clock minus local clock, as this probe measured it (ms). */
  offset: number;
  /** Round trip without the server's processing time (ms). */
  delay: number;
}

export interface ClockSyncOptions {
  /** Samples kept (default 128). */
  windowSize: number;
  /** Samples older than this are dropped (default 120 s). */
  maxSampleAgeMs: number;
  /** Oscillator drift assumed when ageing samples, in ppm (default 100: twice a typical crystal's 50). */
  maxDriftPpm: number;
  /** Pings per burst (default 32). */
  burstCount: number;
  /** Spacing of burst pings (default 60 ms). */
  burstSpacingMs: number;
  /** Spacing of pings after the burst on a quiet path (default 2000 ms): the longest. */
  steadyIntervalMs: number;
  /** Spacing of pings after the burst on a jittery path (default 250 ms): the shortest. */
  minSteadyIntervalMs: number;
  /**
   * Jitter (EWMA of delay above the window's minimum) at which the steady cadence is
   * `steadyIntervalMs`; more jitter pings proportionally more often (default 5 ms).
   */
  jitterRefMs: number;
  /** Samples after which the estimate is usable (default 4). */
  readySamples: number;
  /** Inconsistency beyond the error bounds that counts as a clock step (default 10 ms). */
  stepToleranceMs: number;
  /** A ping unanswered this long is forgotten (lost) (default 10 s). */
  pongTimeoutMs: number;
  /** Gain of the smoothed RTT (default 1/8, as TCP's SRTT). */
  rttGain: number;
}

export const DEFAULT_CLOCK_SYNC_OPTIONS: ClockSyncOptions = {
  windowSize: 128,
  maxSampleAgeMs: 120_000,
  maxDriftPpm: 100,
  burstCount: 32,
  burstSpacingMs: 60,
  steadyIntervalMs: 2000,
  minSteadyIntervalMs: 250,
  jitterRefMs: 5,
  readySamples: 4,
  stepToleranceMs: 10,
  pongTimeoutMs: 10_000,
  rttGain: 1 / 8,
};

/** What one pong did to the estimate. */
export interface PongResult {
  /** The pong answered a ping of ours and gave a usable sample. */
  accepted: boolean;
  /** The sample contradicted the estimate: the window was flushed and a burst started. */
  stepDetected: boolean;
}

/** The offset / RTT estimator and its ping schedule. Pure: the caller sends pings and sets timers. */
export class ClockSync {
  readonly options: ClockSyncOptions;
  private samples: ClockSample[] = [];
  private pending = new Map<number, number>();
  private burstRemaining = 0;
  private burstSent = 0;
  private acceptedSinceStart = 0;
  private hasBeenReady = false;
  private estimate = 0;
  private bound = Number.POSITIVE_INFINITY;
  private srtt: number | null = null;
  /** EWMA of each sample's delay above the window's minimum (ms), or null without samples. */
  private jitterMs: number | null = null;
  private steps = 0;

  constructor(
    private readonly clock: LocalClock,
    options: Partial<ClockSyncOptions> = {},
  ) {
    this.options = { ...DEFAULT_CLOCK_SYNC_OPTIONS, ...options };
  }

  /** Server clock minus local clock (ms). 0 until the first sample. */
  get offset(): number {
    return this.estimate;
  }

  /** Error bound of {@link offset} now (half the width of the aged brackets' intersection), ms. */
  get uncertainty(): number {
    this.refresh();
    return this.bound;
  }

  /** RTT of the best (lowest-delay) sample in the window, or null without samples. */
  get rtt(): number | null {
    if (this.samples.length === 0) return null;
    return Math.min(...this.samples.map((s) => s.delay));
  }

  /** Smoothed recent RTT (EWMA of every sample's delay), or null without samples. */
  get smoothedRtt(): number | null {
    return this.srtt;
  }

  /** Smoothed delay above the window's minimum (the path's jitter, ms), or null without samples. */
  get jitter(): number | null {
    return this.jitterMs;
  }

  /** Whether the estimate can be used (after the first burst's first samples). */
  get ready(): boolean {
    return this.hasBeenReady && this.samples.length > 0;
  }

  /** Clock steps detected so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Whether a burst is under way. */
  get bursting(): boolean {
    return this.burstRemaining > 0;
  }

  /** The server clock now (ms). */
  serverNow(): number {
    return this.clock.now() + this.estimate;
  }

  /** A local time as server time. */
  toServerTime(localTime: number): number {
    return localTime + this.estimate;
  }

  /** A server time as local time. */
  toLocalTime(serverTime: number): number {
    return serverTime - this.estimate;
  }

  /**
   * Start a burst (connect, reconnect, suspected step). `flush` forgets every sample: use it when
   * the server behind the socket changed (another clock) and after a detected step.
   */
  startBurst({ flush = false }: { flush?: boolean } = {}): void {
    if (flush) {
      this.samples = [];
      this.acceptedSinceStart = 0;
      this.hasBeenReady = false;
      this.srtt = null;
      this.jitterMs = null;
      this.bound = Number.POSITIVE_INFINITY;
    }
    this.pending.clear();
    this.burstRemaining = this.options.burstCount;
    this.burstSent = 0;
  }

  /** ms from now until the next ping is due. */
  nextPingDelay(): number {
    const o = this.options;
    if (this.burstRemaining > 0) return this.burstSent === 0 ? 0 : o.burstSpacingMs;
    if (this.jitterMs === null || this.jitterMs <= o.jitterRefMs) return o.steadyIntervalMs;
    return Math.max(o.minSteadyIntervalMs, (o.steadyIntervalMs * o.jitterRefMs) / this.jitterMs);
  }

  /** A ping to send now; it is remembered until its pong (or its timeout). */
  createPing(): TimePing {
    const t0 = this.clock.now();
    for (const [sent] of this.pending) {
      if (t0 - sent > this.options.pongTimeoutMs) this.pending.delete(sent);
    }
    this.pending.set(t0, t0);
    if (this.burstRemaining > 0) {
      this.burstRemaining -= 1;
      this.burstSent += 1;
    }
    return { t0 };
  }

  /** Feed a pong (stamped with the local time it arrived, now). Pongs to no ping of ours are ignored. */
  onPong(pong: TimePong, t3: number = this.clock.now()): PongResult {
    if (!this.pending.delete(pong.t0)) return { accepted: false, stepDetected: false };
    return this.addSample(pong.t0, pong.t1, pong.t2, t3);
  }

  /**
   * Add one sample directly (tests, or a transport that timestamps itself). Returns whether it was
   * used and whether it revealed a clock step.
   */
  addSample(t0: number, t1: number, t2: number, t3: number): PongResult {
    const sample: ClockSample = { t0, t1, t2, t3, offset: (t1 - t0 + (t2 - t3)) / 2, delay: t3 - t0 - (t2 - t1) };
    const tol = this.options.stepToleranceMs;
    if (t3 < t0 || sample.delay < -tol) {
      // Time ran backwards during the round trip: the local clock stepped. The sample is useless.
      this.onStep(null);
      return { accepted: false, stepDetected: true };
    }
    sample.delay = Math.max(0, sample.delay);
    if (this.samples.length > 0) {
      this.refresh(t3);
      if (Math.abs(sample.offset - this.estimate) > sample.delay / 2 + this.bound + tol) {
        this.onStep(sample);
        return { accepted: true, stepDetected: true };
      }
    }
    this.push(sample);
    return { accepted: true, stepDetected: false };
  }

  private onStep(sample: ClockSample | null): void {
    this.steps += 1;
    const wasReady = this.hasBeenReady;
    this.startBurst({ flush: true });
    if (sample) {
      this.push(sample);
      // The old estimate is known wrong; one fresh sample (bounded by its delay/2) beats it.
      this.hasBeenReady = wasReady;
    }
  }

  private push(sample: ClockSample): void {
    this.samples.push(sample);
    if (this.samples.length > this.options.windowSize) this.samples.shift();
    this.acceptedSinceStart += 1;
    const gain = this.options.rttGain;
    this.srtt = this.srtt === null ? sample.delay : this.srtt + gain * (sample.delay - this.srtt);
    const excess = sample.delay - Math.min(...this.samples.map((x) => x.delay));
    this.jitterMs = this.jitterMs === null ? excess : this.jitterMs + gain * (excess - this.jitterMs);
    if (this.acceptedSinceStart >= this.options.readySamples) this.hasBeenReady = true;
    if (this.burstRemaining === 0 && this.burstSent > 0) this.hasBeenReady = true;
    this.refresh(sample.t3);
  }

  /** Age out old samples and recompute the estimate as of local time `now`. */
  private refresh(now: number = this.clock.now()): void {
    const { maxSampleAgeMs, maxDriftPpm } = this.options;
    // Keep at least the newest sample: an old estimate is better than none.
    while (this.samples.length > 1 && now - this.samples[0]!.t3 > maxSampleAgeMs) this.samples.shift();
    if (this.samples.length === 0) return;
    const ageing = maxDriftPpm * 1e-6;
    let up = Number.POSITIVE_INFINITY; // offset ≤ up
    let down = Number.POSITIVE_INFINITY; // offset ≥ −down
    for (const s of this.samples) {
      const widen = Math.max(0, now - s.t3) * ageing;
      up = Math.min(up, s.t1 - s.t0 + widen);
      down = Math.min(down, s.t3 - s.t2 + widen);
    }
    this.estimate = (up - down) / 2;
    this.bound = Math.max(0, (up + down) / 2);
  }
}
