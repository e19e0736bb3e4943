import { describe, expect, it } from 'vitest';

import type { SyncCommand } from '@/lib/protocol/v1.gen';

import { command, EventLoop, loopTime, playbackState } from '../testing/sim-world';

import { CommandBuffer } from './command-buffer';

function cmd(seq: number): SyncCommand {
  return command(playbackState({ sequenceNumber: seq, anchorServerTime: seq * 1000 }));
}

function setup(gapTimeoutMs = 250) {
  const loop = new EventLoop();
  const { timers } = loopTime(loop);
  const applied: number[] = [];
  const requests: Array<{ at: number; after: number }> = [];
  const buffer = new CommandBuffer({
    apply: (c) => applied.push(c.sequenceNumber),
    requestCatchup: (after) => requests.push({ at: loop.now, after }),
    timers,
    gapTimeoutMs,
  });
  return { loop, buffer, applied, requests };
}

describe('CommandBuffer', () => {
  it('applies commands in sequence and drops duplicates', () => {
    const { buffer, applied } = setup();
    buffer.reset(4);
    expect(buffer.receive(cmd(5))).toBe('applied');
    expect(buffer.receive(cmd(5))).toBe('duplicate');
    expect(buffer.receive(cmd(3))).toBe('duplicate');
    expect(buffer.receive(cmd(6))).toBe('applied');
    expect(applied).toEqual([5, 6]);
    expect(buffer.lastApplied).toBe(6);
  });

  it('buffers out-of-order commands until the gap fills, without asking', async () => {
    const { loop, buffer, applied, requests } = setup();
    buffer.reset(0);
    expect(buffer.receive(cmd(3))).toBe('buffered');
    expect(buffer.receive(cmd(2))).toBe('buffered');
    expect(buffer.receive(cmd(2))).toBe('duplicate');
    expect(buffer.hasGap).toBe(true);
    await loop.runUntil(200);
    expect(buffer.receive(cmd(1))).toBe('applied');
    expect(applied).toEqual([1, 2, 3]);
    await loop.runUntil(5000);
    expect(requests).toEqual([]);
  });

  it('asks for a catch-up when a gap stays open 250 ms, and again with back-off', async () => {
    const { loop, buffer, requests, applied } = setup();
    buffer.reset(10);
    buffer.receive(cmd(12));
    await loop.runUntil(249);
    expect(requests).toEqual([]);
    await loop.runUntil(250);
    expect(requests).toEqual([{ at: 250, after: 10 }]);
    await loop.runUntil(3300);
    expect(requests.map((r) => r.at)).toEqual([250, 1250, 3250]);
    // The catch-up arrives: 11 and 12, then the state at 12.
    let stateApplied = false;
    buffer.catchup([cmd(11), cmd(12)], 12, () => {
      stateApplied = true;
    });
    expect(applied).toEqual([11, 12]);
    expect(stateApplied).toBe(true);
    await loop.runUntil(20_000);
    expect(requests).toHaveLength(3);
  });

  it('resets on a snapshot, dropping what it covers and applying what follows', () => {
    const { buffer, applied } = setup();
    buffer.reset(1);
    buffer.receive(cmd(4));
    buffer.receive(cmd(6));
    const order: string[] = [];
    buffer.reset(5, () => order.push('snapshot'));
    expect(applied).toEqual([6]);
    expect(buffer.lastApplied).toBe(6);
    expect(buffer.hasGap).toBe(false);
    expect(order).toEqual(['snapshot']);
  });

  it('applies a catch-up state before buffered commands that follow it', () => {
    const order: string[] = [];
    const buffer = new CommandBuffer({
      apply: (c) => order.push(`cmd ${c.sequenceNumber}`),
      requestCatchup: () => undefined,
      timers: loopTime(new EventLoop()).timers,
    });
    buffer.reset(1);
    buffer.receive(cmd(4));
    buffer.catchup([cmd(3), cmd(2)], 3, () => order.push('state 3'));
    expect(order).toEqual(['cmd 2', 'cmd 3', 'state 3', 'cmd 4']);
  });

  it('never moves backwards on a stale catch-up', () => {
    const { buffer, applied } = setup();
    buffer.reset(8);
    buffer.catchup([cmd(7), cmd(8)], 8);
    expect(applied).toEqual([]);
    expect(buffer.lastApplied).toBe(8);
  });

  it('holds commands until the first snapshot, then asks from before the lowest', async () => {
    const { loop, buffer, applied, requests } = setup();
    buffer.receive(cmd(7));
    expect(applied).toEqual([]);
    await loop.runUntil(300);
    expect(requests).toEqual([{ at: 250, after: 6 }]);
    buffer.reset(6);
    expect(applied).toEqual([7]);
  });

  it('clears its timers when cleared', async () => {
    const { loop, buffer, requests } = setup();
    buffer.reset(0);
    buffer.receive(cmd(5));
    buffer.clear();
    await loop.runUntil(10_000);
    expect(requests).toEqual([]);
    expect(buffer.lastApplied).toBeNull();
  });
});
