import { describe, expect, it } from 'vitest';

import { playbackState } from '../testing/sim-world';

import { PlaybackTimeline, positionAt } from './playback-math';

describe('positionAt', () => {
  it('is the anchor position while paused, whatever the time', () => {
    const s = playbackState({ anchorServerTime: 1000, anchorMediaTime: 5000 });
    expect(positionAt(s, 0)).toBe(5000);
    expect(positionAt(s, 99_999)).toBe(5000);
  });

  it('advances at the rate while playing, as the server computes it', () => {
    const s = playbackState({ isPlaying: true, anchorServerTime: 1000, anchorMediaTime: 5000, playbackRate: 1.25 });
    expect(positionAt(s, 1000)).toBe(5000);
    expect(positionAt(s, 3000)).toBe(7500);
    // Before the anchor it extrapolates backwards, but never below 0.
    expect(positionAt(s, 0)).toBe(3750);
    expect(positionAt(s, -10_000)).toBe(0);
  });
});

describe('PlaybackTimeline', () => {
  const paused = playbackState({ sequenceNumber: 1, anchorServerTime: 0, anchorMediaTime: 10_000 });
  const play = playbackState({ sequenceNumber: 2, isPlaying: true, anchorServerTime: 5000, anchorMediaTime: 10_000 });

  it('knows nothing before a state arrives', () => {
    const t = new PlaybackTimeline();
    expect(t.empty).toBe(true);
    expect(t.targetAt(0)).toBeNull();
    expect(t.latestSequence).toBeNull();
  });

  it('holds the old state until a command is due, then switches', () => {
    const t = new PlaybackTimeline();
    t.applySnapshot(paused);
    t.applyCommand(5000, play);
    expect(t.targetAt(4999)).toMatchObject({ playing: false, position: 10_000, state: paused });
    expect(t.targetAt(5000)).toMatchObject({ playing: true, position: 10_000, state: play });
    expect(t.targetAt(6000)).toMatchObject({ playing: true, position: 11_000 });
    expect(t.nextChangeAfter(4000)).toBe(5000);
    expect(t.nextChangeAfter(5000)).toBeNull();
  });

  it('applies a late command exactly: the anchor gives the position now', () => {
    const t = new PlaybackTimeline();
    t.applySnapshot(paused);
    t.applyCommand(5000, play);
    // The command reached us 700 ms after it was due.
    expect(t.targetAt(5700)!.position).toBe(10_700);
  });

  it('drops announced states a newer command was derived from', () => {
    const t = new PlaybackTimeline();
    t.applySnapshot(paused);
    t.applyCommand(5000, play);
    const seek = playbackState({ sequenceNumber: 3, isPlaying: true, anchorServerTime: 4000, anchorMediaTime: 60_000 });
    t.applyCommand(4000, seek);
    expect(t.targetAt(4500)!.position).toBe(60_500);
    expect(t.targetAt(6000)!.state).toBe(seek);
  });

  it('keeps a scheduled state when a snapshot repeats it', () => {
    const t = new PlaybackTimeline();
    t.applySnapshot(paused);
    t.applyCommand(5000, play);
    t.applySnapshot(play);
    expect(t.targetAt(4000)!.state).toBe(paused);
    expect(t.targetAt(5000)!.state).toBe(play);
  });

  it('holds a snapshot whose anchor is still ahead at its anchor position', () => {
    const t = new PlaybackTimeline();
    t.applySnapshot(play);
    expect(t.targetAt(4000)).toMatchObject({ playing: false, position: 10_000 });
    expect(t.nextChangeAfter(4000)).toBe(5000);
    expect(t.targetAt(5500)).toMatchObject({ playing: true, position: 10_500 });
  });

  it('answers for the recent past after moving on (frame samples lag ticks)', () => {
    const t = new PlaybackTimeline();
    t.applySnapshot(paused);
    t.applyCommand(5000, play);
    expect(t.targetAt(5100)!.state).toBe(play);
    expect(t.targetAt(4990)!.state).toBe(paused);
  });
});
