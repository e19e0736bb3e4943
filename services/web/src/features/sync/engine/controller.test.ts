import { describe, expect, it } from 'vitest';

import type { Correction, PlaybackState } from '@/lib/protocol/v1.gen';

import { EventLoop, loopTime, playbackState, seededRandom, SimPlayer, type SimPlayerProfile } from '../testing/sim-world';

import { median, SyncController, type ControllerOptions } from './controller';
import { PlaybackTimeline } from './playback-math';
import { YOUTUBE_RATES } from './player';

const LOCAL_BASE = 1_000_000;
/** Server clock − local clock. The controller is given this exact offset (clock sync is tested apart). */
const OFFSET = 4_000_000;

/** True (virtual) time → server time. */
const server = (t: number) => LOCAL_BASE + t + OFFSET;

function rig(profile: Partial<SimPlayerProfile> = {}, options: Partial<ControllerOptions> = {}) {
  const loop = new EventLoop();
  const { clock, timers } = loopTime(loop, LOCAL_BASE);
  const timeline = new PlaybackTimeline();
  const player = new SimPlayer(loop, seededRandom(1), {
    rateControl: 'continuous',
    seekLatencyMs: 120,
    landingNoiseMs: 0,
    playLatencyMs: 20,
    mediaSkew: 0,
    readNoiseMs: 0,
    ...profile,
  });
  const corrections: Correction[] = [];
  const controller: SyncController = new SyncController({
    local: clock,
    timers,
    clock: { ready: true, toServerTime: (l) => l + OFFSET, toLocalTime: (s) => s - OFFSET },
    timeline,
    options,
    onChange: () => {
      if (controller.lastCorrection !== corrections.at(-1)) corrections.push(controller.lastCorrection);
    },
  });
  controller.setPlayer(player);
  const drifts: Array<{ t: number; drift: number | null; busy: boolean }> = [];
  const tick = () => {
    controller.tick();
    drifts.push({ t: loop.now, drift: controller.driftMs, busy: controller.busy });
    loop.after(50, tick);
  };
  loop.after(0, tick);
  let seq = 0;
  const state = (patch: Partial<PlaybackState>) => playbackState({ sequenceNumber: ++seq, ...patch });
  /** Schedule a room state from true time `t` (as a command due then). */
  const at = (t: number, patch: Partial<PlaybackState>) => {
    const s = state({ anchorServerTime: server(t), ...patch });
    timeline.applyCommand(server(t), s);
    return s;
  };
  const error = () => player.truePosition() - timeline.targetAt(server(loop.now))!.position;
  return { loop, timeline, player, controller, drifts, corrections, at, state, error };
}

describe('SyncController: scheduled commands', () => {
  it('starts a scheduled PLAY on time, compensating the play latency it learns', async () => {
    const r = rig();
    r.timeline.applySnapshot(r.state({ anchorMediaTime: 10_000, anchorServerTime: server(0) }));
    r.at(1000, { isPlaying: true, anchorMediaTime: 10_000 });
    await r.loop.runUntil(999);
    expect(r.player.truePosition()).toBe(10_000);
    await r.loop.runUntil(1200);
    // First start: the prior (15 ms) against the device's 20 ± 3 ms.
    expect(Math.abs(r.error())).toBeLessThan(10);
    r.at(3000, { isPlaying: false, anchorMediaTime: 12_000 });
    r.at(4000, { isPlaying: true, anchorMediaTime: 12_000 });
    await r.loop.runUntil(4200);
    expect(r.controller.playLatency.count).toBeGreaterThanOrEqual(1);
    expect(Math.abs(r.error())).toBeLessThan(4);
  });

  it('prepares a scheduled seek while playing: stands on the new frame before it, starts at its instant', async () => {
    // A buffered seek (the player says so) of ~60 ms; the device's start-up latency is announced.
    const r = rig({ seekLatencyMs: 60, playLatencyMs: 70, playLatencyJitterMs: 0, allBuffered: true, knownPlayLatencyMs: 70 });
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(3000);
    const jumpAt = 5000;
    r.at(jumpAt, { isPlaying: true, anchorMediaTime: 60_000 });
    // Until shortly before the jump the old state plays on.
    await r.loop.runUntil(jumpAt - 300);
    expect(r.player.paused()).toBe(false);
    expect(Math.abs(r.error())).toBeLessThan(3);
    // Then the player pauses, seeks ahead of time and waits on the jump's own position.
    await r.loop.runUntil(jumpAt - 1);
    expect(r.player.seeks).toBe(1);
    expect(r.corrections.at(-1)).toMatchObject({ kind: 'seek', cause: 'scheduled_seek' });
    expect(r.player.truePosition()).toBe(60_000);
    // It starts at the instant, on the new timeline (no seek after the jump).
    await r.loop.runUntil(jumpAt + 150);
    expect(Math.abs(r.error())).toBeLessThan(2);
    expect(r.player.seeks).toBe(1);
    expect(r.controller.bufferedSeekLatency.count).toBe(1);
    expect(r.controller.seekLatency.count).toBe(0);
  });

  it('corrects a start that landed off within about half a second (a short first window)', async () => {
    // The device starts 25 ms later than the prior (15 ms) says: the first start lands 25 ms behind.
    const r = rig({ playLatencyMs: 40, playLatencyJitterMs: 0 });
    r.timeline.applySnapshot(r.state({ anchorMediaTime: 10_000, anchorServerTime: server(0) }));
    r.at(1000, { isPlaying: true, anchorMediaTime: 10_000 });
    await r.loop.runUntil(1200);
    expect(r.error()).toBeLessThan(-20);
    await r.loop.runUntil(1700);
    expect(Math.abs(r.error())).toBeLessThan(3);
    expect(r.player.rate()).toBe(1);
    expect(r.corrections.filter((c) => c.kind === 'rate')).toHaveLength(1);
  });

  it('pauses at the scheduled instant, on the anchor position', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(2000);
    r.at(2500, { isPlaying: false, anchorMediaTime: 2500 });
    await r.loop.runUntil(3000);
    expect(r.player.paused()).toBe(true);
    expect(Math.abs(r.player.truePosition() - 2500)).toBeLessThan(5);
    expect(r.player.seeks).toBe(0);
  });

  it('seeks a paused player exactly onto the anchor when off by more than a frame', async () => {
    const r = rig();
    r.timeline.applySnapshot(r.state({ anchorMediaTime: 42_000, anchorServerTime: server(0) }));
    await r.loop.runUntil(1000);
    expect(r.player.truePosition()).toBe(42_000);
    expect(r.player.seeks).toBe(1);
    expect(r.controller.lastCorrection).toMatchObject({ kind: 'seek', cause: 'paused_position' });
    // Within a frame: left alone.
    r.player.jump(10);
    await r.loop.runUntil(2000);
    expect(r.player.seeks).toBe(1);
  });
});

describe('SyncController: closed loop while playing', () => {
  it('corrects a small error by a bounded rate change and snaps back to exactly 1', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(2000);
    const before = r.corrections.length;
    r.player.jump(60);
    const rates: number[] = [];
    for (let t = 2000; t < 5000; t += 10) {
      await r.loop.runUntil(t);
      rates.push(r.player.rate());
    }
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.9);
    expect(Math.min(...rates)).toBeLessThan(1);
    expect(r.player.rate()).toBe(1);
    expect(Math.abs(r.error())).toBeLessThan(1.5);
    expect(r.player.seeks).toBe(0);
    // One episode, no overshoot worth a second one.
    const episodes = r.corrections.slice(before);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ kind: 'rate', cause: 'drift' });
    expect(episodes[0]!.errorMs).toBeGreaterThan(50);
  });

  it('aims at zero: an 8 ms error is corrected, not parked at the edge of the dead band', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(3000);
    r.player.jump(-8);
    await r.loop.runUntil(5000);
    expect(Math.abs(r.error())).toBeLessThan(1.5);
    expect(r.player.rate()).toBe(1);
  });

  it('learns what a rate change costs (Chromium: the media falls back ~16 ms) and pre-compensates it', async () => {
    const r = rig({ rateChangeLagMs: [16, 16] });
    // An adapter that does not know its platform's lag: the first correction has to find it.
    Object.defineProperty(r.player, 'rateChangeLagMs', { value: 0 });
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(3000);
    r.player.jump(-30);
    await r.loop.runUntil(7000);
    expect(Math.abs(r.error())).toBeLessThan(2);
    // Learned: the next error is removed by one correction, without a second one.
    const before = r.corrections.length;
    r.player.jump(-30);
    await r.loop.runUntil(9500);
    expect(r.corrections.length - before).toBe(1);
    expect(Math.abs(r.error())).toBeLessThan(2);
    expect(r.player.rate()).toBe(1);
  });

  it('seeks on a large error, lands on time despite its own seek latency, and learns it', async () => {
    const r = rig({ seekLatencyMs: 180, landingNoiseMs: 6 });
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(2000);
    const before = r.corrections.length;
    r.player.jump(-1500);
    await r.loop.runUntil(3000);
    const after = r.corrections.slice(before);
    expect(after[0]).toMatchObject({ kind: 'seek', cause: 'large_error' });
    expect(after[0]!.errorMs).toBeLessThan(-1000);
    expect(r.player.seeks).toBe(1);
    expect(Math.abs(r.error())).toBeLessThan(5);
    expect(r.controller.seekLatency.mean).toBeGreaterThan(140);
    expect(r.controller.seekLatency.mean).toBeLessThan(220);
    // The seek and its settling were never measured as drift.
    const during = r.drifts.filter((d) => d.t > 2000 && d.busy);
    expect(during.length).toBeGreaterThan(0);
    const settled = r.drifts.filter((d) => d.t > 2000 && !d.busy && d.drift !== null && Math.abs(d.drift) < 1000);
    expect(Math.max(...settled.map((d) => Math.abs(d.drift!)))).toBeLessThan(10);
    // A second disruption: the learned latency makes the pause shorter.
    r.player.jump(3000);
    await r.loop.runUntil(4000);
    expect(Math.abs(r.error())).toBeLessThan(5);
    expect(r.player.seeks).toBe(2);
  });

  it('in lead style (seek while playing), folds the measured lag into the next seek', async () => {
    const r = rig({ seekLatencyMs: 200, landingNoiseMs: 0 }, { seekStyle: 'lead', initialSeekLatencyMs: 80 });
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(1000);
    const residuals: number[] = [];
    for (let i = 0; i < 3; i++) {
      r.player.jump(-1500);
      await r.loop.runUntil(r.loop.now + 200);
      expect(r.controller.busy).toBe(true);
      while (r.controller.busy) await r.loop.runUntil(r.loop.now + 10);
      residuals.push(Math.abs(r.error()));
      await r.loop.runUntil(r.loop.now + 3000);
    }
    expect(residuals[0]).toBeGreaterThan(60);
    expect(residuals[2]).toBeLessThan(residuals[0]! / 3);
  });

  it('measures on the media clock, not on presentation times quantised to the display', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    // (The start is a few ms late until the play latency is learned: one correction, done by 3 s.)
    await r.loop.runUntil(3000);
    const rateChanges = r.player.rateChanges;
    // Frames of a 30 fps video shown on a 60 Hz vsync grid: the presentation time of each frame
    // lags its media time by 0–16.7 ms. Only the media clock says the player is on time.
    for (let t = 3000; t < 6000; t += 33.3) {
      await r.loop.runUntil(t);
      const presentedAt = LOCAL_BASE + Math.ceil(t / 16.7) * 16.7;
      r.controller.tick({ mediaTimeMs: r.player.truePosition(), presentedAt });
    }
    expect(r.player.rateChanges).toBe(rateChanges);
    expect(Math.abs(r.error())).toBeLessThan(1);
    expect(Math.abs(r.controller.driftMs!)).toBeLessThan(1);
  });
});

describe('SyncController: coarse players', () => {
  it('uses only the allowed rates, as timed pulses', async () => {
    const r = rig({ rateControl: 'coarse', allowedRates: YOUTUBE_RATES });
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(1000);
    r.player.jump(100);
    await r.loop.runUntil(3000);
    expect(Math.abs(r.error())).toBeLessThan(8);
    expect(r.player.seeks).toBe(0);
    expect([...r.player.ratesUsed].every((x) => YOUTUBE_RATES.includes(x))).toBe(true);
    expect(r.player.ratesUsed.has(0.75)).toBe(true);
    expect(r.controller.lastCorrection).toMatchObject({ kind: 'rate', cause: 'drift_pulse' });
  });
});

describe('SyncController: interruptions', () => {
  it('reports a stall, holds off while it lasts, then resyncs', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(1000);
    r.player.stall(800);
    await r.loop.runUntil(1500);
    expect(r.controller.flags.stalled).toBe(true);
    expect(r.player.seeks).toBe(0);
    await r.loop.runUntil(3000);
    expect(r.controller.flags.stalled).toBe(false);
    expect(r.player.seeks).toBe(1);
    expect(Math.abs(r.error())).toBeLessThan(5);
  });

  it('ends a stall when the media is seen advancing, without waiting for a playing event', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(3000);
    // A `waiting` with no `playing` after it (browsers do this): the media never stopped.
    r.player.emit('waiting');
    expect(r.controller.flags.stalled).toBe(true);
    await r.loop.runUntil(3200);
    expect(r.controller.flags.stalled).toBe(false);
    // ...and the loop is correcting again.
    r.player.jump(30);
    await r.loop.runUntil(5500);
    expect(Math.abs(r.error())).toBeLessThan(2);
    expect(r.player.rate()).toBe(1);
  });

  it('does nothing during an ad, then resyncs', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(1000);
    r.player.emit('interrupted', { active: true, reason: 'ad' });
    r.player.pause();
    await r.loop.runUntil(4000);
    expect(r.controller.flags.interrupted).toBe(true);
    expect(r.player.paused()).toBe(true);
    r.player.emit('interrupted', { active: false, reason: 'ad' });
    await r.loop.runUntil(5000);
    expect(r.controller.flags.interrupted).toBe(false);
    expect(Math.abs(r.error())).toBeLessThan(5);
  });

  it('flags blocked autoplay and starts from a user gesture', async () => {
    const r = rig({ autoplayBlocked: true });
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(1000);
    expect(r.controller.flags.autoplayBlocked).toBe(true);
    expect(r.player.paused()).toBe(true);
    const done = r.controller.userGesturePlay();
    await r.loop.runUntil(1001);
    await done;
    expect(r.controller.flags.autoplayBlocked).toBe(false);
    await r.loop.runUntil(2500);
    expect(Math.abs(r.error())).toBeLessThan(5);
  });

  it('leaves a player that reached the end alone while the room plays on', async () => {
    const r = rig();
    r.at(0, { isPlaying: true, anchorMediaTime: 0 });
    await r.loop.runUntil(1000);
    r.player.end();
    await r.loop.runUntil(3000);
    expect(r.player.seeks).toBe(0);
    expect(r.player.paused()).toBe(true);
  });
});

describe('median', () => {
  it('ignores the extremes', () => {
    expect(median([1, 2, 3, 100, -100])).toBe(2);
    expect(median([1, 3])).toBe(2);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});
