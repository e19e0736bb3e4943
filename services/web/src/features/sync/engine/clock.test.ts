import { describe, expect, it } from 'vitest';

import { EventLoop, seededRandom } from '../testing/sim-world';

import { ClockSync, DEFAULT_CLOCK_SYNC_OPTIONS, type ClockSyncOptions, type LocalClock } from './clock';

/** A local clock we move by hand. */
function manualClock(start = 1_000_000): LocalClock & { t: number } {
  const c = { t: start, now: () => c.t };
  return c;
}

/** One probe: local clock = true time + `localBias`; server clock = true time + `serverBias`. */
function probe(
  sync: ClockSync,
  at: number,
  { up, down, offset, hold = 1 }: { up: number; down: number; offset: number; hold?: number },
) {
  const t0 = at;
  const t1 = t0 + offset + up;
  const t2 = t1 + hold;
  const t3 = t2 - offset + down;
  return sync.addSample(t0, t1, t2, t3);
}

describe('ClockSync estimate', () => {
  it('recovers the offset and delay of a symmetric probe exactly', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    clock.t += 100;
    probe(sync, clock.t - 100, { up: 40, down: 40, offset: 123_456 });
    expect(sync.offset).toBeCloseTo(123_456, 6);
    expect(sync.rtt).toBeCloseTo(80, 6);
    expect(sync.uncertainty).toBeCloseTo(40, 2);
  });

  it('keeps the low-delay probe and ignores the ones that met queueing', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    const offset = -90_000;
    // Jitter lands on one leg or the other: each such probe's offset is off by half of it.
    for (const [up, down] of [[90, 20], [20, 85], [21, 20], [60, 22], [20, 140]] as const) {
      probe(sync, clock.t, { up, down, offset });
      clock.t += 100;
    }
    expect(Math.abs(sync.offset - offset)).toBeLessThanOrEqual(0.5);
    expect(sync.rtt).toBeCloseTo(41, 6);
  });

  it('takes the minimum per leg: two half-good probes make a good estimate', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    const offset = 5000;
    // Fast up / slow down, then slow up / fast down: each alone is 15 ms off.
    probe(sync, clock.t, { up: 10, down: 40, offset });
    expect(sync.offset - offset).toBeCloseTo(-15, 6);
    clock.t += 100;
    probe(sync, clock.t, { up: 40, down: 10, offset });
    expect(Math.abs(sync.offset - offset)).toBeLessThan(0.1);
  });

  it('stays within a few ms under heavy random jitter on a slow path', () => {
    const random = seededRandom(3);
    const clock = manualClock();
    const sync = new ClockSync(clock);
    const offset = 300_000;
    const errors: number[] = [];
    for (let i = 0; i < 40; i++) {
      const jitter = () => -Math.log(1 - random()) * 20;
      probe(sync, clock.t, { up: 230 + jitter(), down: 230 + jitter(), offset });
      clock.t += i < 16 ? 60 : 2000;
      if (i >= 16) errors.push(Math.abs(sync.offset - offset));
    }
    expect(Math.max(...errors)).toBeLessThan(4);
  });

  it('follows a drifting local oscillator (older samples age out)', () => {
    const clock = manualClock(0);
    const sync = new ClockSync(clock);
    const drift = 50e-6; // local clock gains 50 µs per s: the offset falls by as much
    for (let i = 0; i < 200; i++) {
      const trueTime = i * 2000;
      clock.t = trueTime * (1 + drift);
      probe(sync, clock.t, { up: 30, down: 30, offset: -trueTime * drift });
      expect(Math.abs(sync.offset - -trueTime * drift)).toBeLessThan(1);
    }
    // 400 s in, the offset moved by 20 ms and the estimate followed.
    expect(sync.offset).toBeLessThan(-19);
  });

  it('keeps the RTT of the best sample and a smoothed recent RTT', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    probe(sync, clock.t, { up: 50, down: 50, offset: 0 });
    for (let i = 0; i < 30; i++) {
      clock.t += 100;
      probe(sync, clock.t, { up: 100, down: 100, offset: 0 });
    }
    expect(sync.rtt).toBeCloseTo(100, 6);
    expect(sync.smoothedRtt!).toBeGreaterThan(195);
  });
});

describe('ClockSync pings and steps', () => {
  it('answers only pongs to its own pings, once', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    sync.startBurst();
    const ping = sync.createPing();
    clock.t += 80;
    const pong = { t0: ping.t0, t1: ping.t0 + 1000 + 40, t2: ping.t0 + 1000 + 41 };
    expect(sync.onPong({ t0: 123, t1: 1, t2: 2 }).accepted).toBe(false);
    expect(sync.onPong(pong).accepted).toBe(true);
    expect(sync.onPong(pong).accepted).toBe(false);
    expect(sync.offset).toBeCloseTo(1000.5, 6);
  });

  it('bursts, becomes ready, then pings every few seconds', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    const { burstCount, burstSpacingMs, steadyIntervalMs, readySamples } = DEFAULT_CLOCK_SYNC_OPTIONS;
    sync.startBurst();
    expect(sync.nextPingDelay()).toBe(0);
    const delays: number[] = [];
    for (let i = 0; i < burstCount; i++) {
      const { t0 } = sync.createPing();
      delays.push(sync.nextPingDelay());
      clock.t += 30;
      sync.onPong({ t0, t1: t0 + 15, t2: t0 + 15 });
      expect(sync.ready).toBe(i + 1 >= readySamples);
      clock.t += 30;
    }
    expect(delays.slice(0, -1).every((d) => d === burstSpacingMs)).toBe(true);
    expect(delays.at(-1)).toBe(steadyIntervalMs);
    expect(sync.bursting).toBe(false);
  });

  it('detects a step of the local clock, flushes and re-bursts', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    for (let i = 0; i < 10; i++) {
      probe(sync, clock.t, { up: 20, down: 20, offset: 50_000 });
      clock.t += 100;
    }
    expect(sync.offset).toBeCloseTo(50_000, 3);
    // The machine slept: the local clock jumped back 3 s relative to the server.
    const result = probe(sync, clock.t, { up: 25, down: 20, offset: 53_000 });
    expect(result.stepDetected).toBe(true);
    expect(sync.stepCount).toBe(1);
    expect(sync.bursting).toBe(true);
    expect(sync.ready).toBe(true);
    expect(Math.abs(sync.offset - 53_000)).toBeLessThanOrEqual(2.5);
  });

  it('treats time running backwards during a probe as a step', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    probe(sync, clock.t, { up: 20, down: 20, offset: 0 });
    const result = sync.addSample(1000, 1010, 1011, 900);
    expect(result).toEqual({ accepted: false, stepDetected: true });
  });

  it('does not call a slow, jittery probe a step', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    probe(sync, clock.t, { up: 20, down: 20, offset: 0 });
    clock.t += 100;
    expect(probe(sync, clock.t, { up: 900, down: 20, offset: 0 }).stepDetected).toBe(false);
  });

  it('forgets everything on a burst with flush (another server)', () => {
    const clock = manualClock();
    const sync = new ClockSync(clock);
    for (let i = 0; i < 5; i++) probe(sync, clock.t + i, { up: 20, down: 20, offset: 7 });
    expect(sync.ready).toBe(true);
    sync.startBurst({ flush: true });
    expect(sync.ready).toBe(false);
    expect(sync.rtt).toBeNull();
  });

  it('converts between local and server time', () => {
    const clock = manualClock(500);
    const sync = new ClockSync(clock);
    probe(sync, 500, { up: 10, down: 10, offset: 1000 });
    expect(sync.serverNow()).toBeCloseTo(1500, 6);
    expect(sync.toLocalTime(sync.toServerTime(1234))).toBeCloseTo(1234, 9);
  });
});

/**
 * One leg of the browser bench's link (`loadtests/bench_sync.py`, `DelayProxy`): each chunk is held
 * base × (1 ± 20 %, uniform), plus with 2 % chance a spike of 50–150 ms, capped at base × 1.2 +
 * 150 ms; FIFO, so a chunk never overtakes the one before it (a spike holds back what follows).
 */
class BenchLeg {
  private last = 0;

  constructor(
    private readonly loop: EventLoop,
    private readonly random: () => number,
    private readonly base: number,
  ) {}

  send(deliver: () => void): void {
    let d = this.base * (1 + (this.random() * 2 - 1) * 0.2);
    if (this.random() < 0.02) d += 50 + 100 * this.random();
    d = Math.min(d, this.base * 1.2 + 150);
    this.last = Math.max(this.loop.now + d, this.last);
    this.loop.at(this.last, deliver);
  }
}

/**
 * The worst |offset error| from `fromMs` (20 s) to `untilMs` (3 min) after connecting, over a viewer on the bench's link
 * of `base` ms one way, whose oscillator drifts by `drift`. The same socket carries other frames
 * (reports, participants) every 0.5–2 s, FIFO with the probes; the server stamps within 0.3 ms; the
 * page's event loop stamps `t3` a little late (exponential, 0.5 ms mean).
 */
async function worstOnBenchLink(
  seed: number,
  base: number,
  drift: number,
  options: Partial<ClockSyncOptions> = {},
  fromMs = 20_000,
  untilMs = 180_000,
) {
  const loop = new EventLoop();
  const random = seededRandom(seed);
  const local: LocalClock = { now: () => 1e12 + 37_000 + loop.now * (1 + drift) };
  const serverNow = () => 1e12 + loop.now;
  const sync = new ClockSync(local, options);
  const up = new BenchLeg(loop, random, base);
  const down = new BenchLeg(loop, random, base);
  const ping = () => {
    const { t0 } = sync.createPing();
    up.send(() => {
      const t1 = serverNow() + random() * 0.3;
      const t2 = t1 + 0.1 + random() * 0.2;
      down.send(() => sync.onPong({ t0, t1, t2 }, local.now() - Math.log(1 - random()) * 0.5));
    });
    loop.after(sync.nextPingDelay() / (1 + drift), ping);
  };
  const otherTraffic = () => {
    up.send(() => {});
    down.send(() => {});
    loop.after(500 + random() * 1500, otherTraffic);
  };
  sync.startBurst();
  loop.at(0, ping);
  loop.at(0, otherTraffic);
  let worst = 0;
  for (let t = fromMs; t <= untilMs; t += 100) {
    await loop.runUntil(t);
    worst = Math.max(worst, Math.abs(sync.offset - (serverNow() - local.now())));
  }
  return { worst, jitter: sync.jitter!, interval: sync.nextPingDelay() };
}

describe('ClockSync on the browser bench\'s link model', () => {
  it('stays within 5 ms on the worst link (250 ms one way, ±20 %, spikes, FIFO), with drift', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const drift of [0, 50e-6]) {
        const { worst, jitter, interval } = await worstOnBenchLink(seed, 250, drift);
        expect(worst).toBeLessThanOrEqual(5);
        // The path is jittery (tens of ms per round trip): it is probed every 0.25 s.
        expect(jitter).toBeGreaterThan(20);
        expect(interval).toBe(DEFAULT_CLOCK_SYNC_OPTIONS.minSteadyIntervalMs);
      }
    }
  }, 30_000);

  it('stays within 5 ms from 8 s after connecting on the worst link, where it used to reach 7 ms', async () => {
    const early = async (options: Partial<ClockSyncOptions>) => {
      const worst = [];
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        worst.push((await worstOnBenchLink(seed, 250, 50e-6, options, 8000, 60_000)).worst);
      }
      return Math.max(...worst);
    };
    expect(await early({})).toBeLessThanOrEqual(5);
    expect(await early({ minSteadyIntervalMs: 500 })).toBeGreaterThan(5);
  }, 60_000);

  it('did worse with the previous schedule (16-ping burst, 32 samples, a ping every 2 s)', async () => {
    const previous = { burstCount: 16, windowSize: 32, minSteadyIntervalMs: 2000 };
    const worst = [];
    for (const seed of [1, 2, 3, 4, 5]) worst.push((await worstOnBenchLink(seed, 250, 50e-6, previous)).worst);
    expect(Math.max(...worst)).toBeGreaterThan(5);
  }, 30_000);

  it('probes a quiet path every 2 s, and a jittery one up to every 0.25 s', () => {
    const clock = manualClock();
    const quiet = new ClockSync(clock);
    const jittery = new ClockSync(clock);
    const random = seededRandom(8);
    for (let i = 0; i < 40; i++) {
      probe(quiet, clock.t, { up: 5 + random(), down: 5 + random(), offset: 1000 });
      probe(jittery, clock.t, { up: 60 * (0.8 + 0.4 * random()), down: 60 * (0.8 + 0.4 * random()), offset: 1000 });
      clock.t += 500;
    }
    expect(quiet.jitter!).toBeLessThan(2);
    expect(quiet.nextPingDelay()).toBe(2000);
    // 60 ms ± 20 % each way: ~16 ms of jitter per round trip, a ping every ~0.6 s.
    expect(jittery.nextPingDelay()).toBeGreaterThan(DEFAULT_CLOCK_SYNC_OPTIONS.minSteadyIntervalMs);
    expect(jittery.nextPingDelay()).toBeLessThan(1000);
  });
});
