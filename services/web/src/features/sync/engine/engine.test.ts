import { describe, expect, it, vi } from 'vitest';

import type { ClientFrame, ServerFrame, ServerHello } from '@/lib/protocol/v1.gen';

import { command, EventLoop, playbackState, seededRandom, SimPlayer, type SimPlayerProfile } from '../testing/sim-world';

import type { LocalClock } from './clock';
import { SyncEngine } from './engine';
import type { TimerHandle, Timers } from './timers';

const SERVER_BASE = 1_767_225_600_000;
const LOCAL_BASE = 1_767_225_000_000; // this tab's clock is 10 minutes behind
const OFFSET = SERVER_BASE - LOCAL_BASE;

function hello(patch: Partial<ServerHello> = {}): ServerFrame {
  return {
    type: 'hello',
    data: {
      protocolVersion: '1.0.0',
      serverTime: SERVER_BASE,
      compatible: true,
      upgradeRequired: false,
      serverId: 'gw-1',
      userId: 'u1',
      ownerHeartbeatMs: 5000,
      reportIntervalMs: 1000,
      limits: { maxFrameBytes: 65_536, framesPerSecond: 30, frameBurst: 60, idleTimeoutMs: 60_000 },
      ...patch,
    },
  };
}

/** An engine against a scripted server: pongs come back after 20 ms each way. */
function rig(profile: Partial<SimPlayerProfile> = {}) {
  const loop = new EventLoop();
  const local = { step: 0 };
  const clock: LocalClock = { now: () => LOCAL_BASE + local.step + loop.now };
  const timers: Timers = {
    setTimeout: (cb: () => void, ms: number): TimerHandle => loop.after(ms, cb),
    clearTimeout: (h: TimerHandle) => loop.cancel(h as number),
  };
  const serverNow = () => SERVER_BASE + loop.now;
  const sent: Array<{ t: number; frame: ClientFrame }> = [];
  const player = new SimPlayer(loop, seededRandom(5), {
    rateControl: 'continuous',
    seekLatencyMs: 100,
    landingNoiseMs: 0,
    playLatencyMs: 10,
    mediaSkew: 0,
    readNoiseMs: 0,
    ...profile,
  });
  let answerPings = true;
  const engine: SyncEngine = new SyncEngine({
    send: (frame) => {
      sent.push({ t: loop.now, frame });
      if (frame.type === 'time:ping' && answerPings) {
        loop.after(20, () => {
          const t1 = serverNow();
          loop.after(20.5, () => engine.handleFrame({ type: 'time:pong', data: { t0: frame.data.t0, t1, t2: t1 + 0.5 } }));
        });
      }
    },
    clock,
    timers,
    player,
  });
  const deliver = (frame: ServerFrame) => loop.at(loop.now, () => engine.handleFrame(frame));
  const frames = <T extends ClientFrame['type']>(type: T) =>
    sent.filter((s) => s.frame.type === type).map((s) => ({ t: s.t, ...(s.frame as Extract<ClientFrame, { type: T }>) }));
  return {
    loop,
    local,
    engine,
    player,
    sent,
    frames,
    deliver,
    serverNow,
    mute: () => {
      answerPings = false;
    },
  };
}

describe('SyncEngine clock', () => {
  it('bursts pings on hello, becomes ready, then pings every 2 s on a quiet path', async () => {
    const r = rig();
    expect(r.engine.getSnapshot().clockReady).toBe(false);
    r.deliver(hello());
    await r.loop.runUntil(300);
    expect(r.engine.getSnapshot().clockReady).toBe(true);
    // 32 pings 60 ms apart: the last at 1.86 s.
    await r.loop.runUntil(1900);
    expect(r.frames('time:ping')).toHaveLength(32);
    const snap = r.engine.getSnapshot();
    expect(snap.connected).toBe(true);
    expect(snap.clockReady).toBe(true);
    expect(Math.abs(snap.clockOffsetMs! - OFFSET)).toBeLessThanOrEqual(1);
    expect(snap.rttMs).toBeCloseTo(40, 0);
    // No jitter: the steady cadence is the longest, 2 s (3.86, 5.86, 7.86, 9.86 s).
    await r.loop.runUntil(11_000);
    expect(r.frames('time:ping')).toHaveLength(32 + 4);
  });

  it('re-bursts and follows when the local clock steps (the machine slept)', async () => {
    const r = rig();
    r.deliver(hello());
    await r.loop.runUntil(3000);
    const before = r.frames('time:ping').length;
    r.local.step = -4000;
    await r.loop.runUntil(8000);
    expect(r.engine.clock.stepCount).toBeGreaterThanOrEqual(1);
    expect(r.frames('time:ping').length - before).toBeGreaterThanOrEqual(16);
    expect(Math.abs(r.engine.clock.offset - (OFFSET + 4000))).toBeLessThanOrEqual(1);
  });

  it('forgets the clock when a hello comes from another server', async () => {
    const r = rig();
    r.deliver(hello());
    await r.loop.runUntil(2000);
    r.deliver(hello({ serverId: 'gw-2' }));
    await r.loop.runUntil(2001);
    expect(r.engine.getSnapshot().clockReady).toBe(false);
    await r.loop.runUntil(3500);
    expect(r.engine.getSnapshot().clockReady).toBe(true);
  });

  it('stops on an incompatible hello', async () => {
    const r = rig();
    r.deliver(hello({ compatible: false, upgradeRequired: true }));
    await r.loop.runUntil(5000);
    expect(r.sent).toHaveLength(0);
    expect(r.engine.getSnapshot()).toMatchObject({ connected: false, upgradeRequired: true });
  });
});

describe('SyncEngine commands and reports', () => {
  it('applies snapshot and commands in order, and asks to catch up on a gap', async () => {
    const r = rig();
    r.deliver(hello());
    await r.loop.runUntil(1000);
    const s3 = playbackState({ sequenceNumber: 3, anchorMediaTime: 7000, anchorServerTime: r.serverNow() });
    r.deliver({ type: 'sync:state_snapshot', data: { state: s3, serverTime: r.serverNow() } });
    await r.loop.runUntil(1100);
    expect(r.engine.getSnapshot().lastSequence).toBe(3);
    expect(r.player.truePosition()).toBe(7000);
    const s4 = playbackState({ sequenceNumber: 4, isPlaying: true, anchorMediaTime: 7000, anchorServerTime: r.serverNow() + 200 });
    const s5 = { ...s4, sequenceNumber: 5, playbackRate: 1.5, anchorServerTime: r.serverNow() + 300, anchorMediaTime: 7100 };
    r.deliver({ type: 'sync:command', data: command(s5, 'SET_RATE') });
    await r.loop.runUntil(1400);
    expect(r.frames('sync:catchup_request')).toEqual([expect.objectContaining({ t: 1350, data: { afterSequence: 3 } })]);
    r.deliver({ type: 'sync:catchup', data: { commands: [command(s4), command(s5, 'SET_RATE')], state: s5 } });
    // Started ~100 ms late (the catch-up came after the PLAY's instant): one rate correction,
    // after a filter window, over the correction horizon.
    await r.loop.runUntil(4000);
    expect(r.engine.getSnapshot().lastSequence).toBe(5);
    expect(r.engine.getSnapshot().playback).toBe(s5);
    expect(r.player.paused()).toBe(false);
    const expected = 7100 + (r.serverNow() - s5.anchorServerTime) * 1.5;
    expect(Math.abs(r.player.truePosition() - expected)).toBeLessThan(10);
  });

  it('reports health at the interval the server asked for', async () => {
    const r = rig();
    r.deliver(hello({ reportIntervalMs: 1000 }));
    r.deliver({ type: 'sync:state_snapshot', data: { state: playbackState({ isPlaying: true, anchorServerTime: SERVER_BASE }), serverTime: SERVER_BASE } });
    await r.loop.runUntil(5500);
    const reports = r.frames('sync:report');
    expect(reports.length).toBeGreaterThanOrEqual(4);
    expect(reports.at(-1)!.data).toEqual({
      driftMs: expect.any(Number) as number,
      rttMs: 40,
      clockOffsetMs: OFFSET,
      bufferedAheadMs: 30_000,
      playbackRate: 1,
      state: 'playing',
      lastCorrection: expect.objectContaining({ kind: expect.any(String) as string }) as object,
    });
    expect(Math.abs(reports.at(-1)!.data.driftMs)).toBeLessThan(5);
  });

  it('says when it cannot play: autoplay blocked until a gesture, then an ad', async () => {
    const r = rig({ autoplayBlocked: true });
    r.deliver(hello());
    r.deliver({ type: 'sync:state_snapshot', data: { state: playbackState({ isPlaying: true, anchorServerTime: SERVER_BASE }), serverTime: SERVER_BASE } });
    await r.loop.runUntil(2000);
    expect(r.engine.getSnapshot()).toMatchObject({ autoplayBlocked: true, buffering: true, bufferingReason: 'autoplay_blocked', state: 'buffering' });
    const done = r.engine.userGesturePlay();
    await r.loop.runUntil(2001);
    await done;
    await r.loop.runUntil(3000);
    expect(r.engine.getSnapshot()).toMatchObject({ autoplayBlocked: false, buffering: false, state: 'playing' });
    r.player.emit('interrupted', { active: true, reason: 'ad' });
    await r.loop.runUntil(4000);
    expect(r.engine.getSnapshot()).toMatchObject({ buffering: true, bufferingReason: 'ad', state: 'interrupted' });
    r.player.emit('interrupted', { active: false, reason: 'ad' });
    await r.loop.runUntil(5000);
    expect(r.frames('sync:buffering').map((f) => f.data)).toEqual([
      { buffering: true, reason: 'autoplay_blocked' },
      { buffering: false },
      { buffering: true, reason: 'ad' },
      { buffering: false },
    ]);
  });
});

describe('SyncEngine leaving', () => {
  it('forgets the room but keeps the clock', async () => {
    const r = rig();
    r.deliver(hello());
    r.deliver({ type: 'sync:state_snapshot', data: { state: playbackState({ sequenceNumber: 9 }), serverTime: SERVER_BASE } });
    await r.loop.runUntil(2000);
    expect(r.engine.getSnapshot().lastSequence).toBe(9);
    r.engine.leaveRoom();
    await r.loop.runUntil(5000);
    expect(r.engine.getSnapshot()).toMatchObject({ lastSequence: null, playback: null, clockReady: true, state: 'idle' });
    const reportsAfter = r.frames('sync:report').filter((f) => f.t > 2000);
    expect(reportsAfter).toEqual([]);
  });
});

describe('SyncEngine observable state', () => {
  it('keeps the snapshot object while nothing changes, and notifies on changes', async () => {
    const r = rig();
    const listener = vi.fn();
    const unsubscribe = r.engine.subscribe(listener);
    const first = r.engine.getSnapshot();
    expect(r.engine.getSnapshot()).toBe(first);
    r.deliver(hello());
    await r.loop.runUntil(1000);
    expect(listener).toHaveBeenCalled();
    expect(r.engine.getSnapshot()).not.toBe(first);
    // Idle and synced: the continuous numbers settle, notifications stop.
    r.mute();
    await r.loop.runUntil(3000);
    const calls = listener.mock.calls.length;
    const settled = r.engine.getSnapshot();
    await r.loop.runUntil(6000);
    expect(listener.mock.calls.length).toBe(calls);
    expect(r.engine.getSnapshot()).toBe(settled);
    unsubscribe();
  });

  it('publishes continuous numbers at most every 250 ms', async () => {
    const r = rig();
    r.deliver(hello());
    r.deliver({ type: 'sync:state_snapshot', data: { state: playbackState({ isPlaying: true, anchorServerTime: SERVER_BASE }), serverTime: SERVER_BASE } });
    await r.loop.runUntil(2000);
    const times: number[] = [];
    r.engine.subscribe(() => times.push(r.loop.now));
    r.player.jump(80);
    await r.loop.runUntil(5000);
    expect(times.length).toBeGreaterThan(2);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Discrete changes (a new correction) may come at once; numbers alone wait 250 ms.
    expect(gaps.filter((g) => g < 250).length).toBeLessThanOrEqual(2);
  });
});
