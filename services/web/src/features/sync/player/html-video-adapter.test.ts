import { afterEach, describe, expect, it, vi } from 'vitest';

import { isAutoplayBlocked } from '@/features/sync/engine/player';

import { HtmlVideoAdapter } from './html-video-adapter';

/** A jsdom `<video>` with the media state a test sets (jsdom plays nothing itself). */
function fakeVideo(init: { readyState?: number; duration?: number; ranges?: Array<[number, number]> } = {}) {
  const video = document.createElement('video');
  const state = { paused: true, readyState: init.readyState ?? 4, duration: init.duration ?? 120, ranges: init.ranges ?? [] };
  Object.defineProperty(video, 'paused', { get: () => state.paused });
  Object.defineProperty(video, 'readyState', { get: () => state.readyState });
  Object.defineProperty(video, 'duration', { get: () => state.duration });
  Object.defineProperty(video, 'buffered', {
    get: () => ({
      length: state.ranges.length,
      start: (i: number) => state.ranges[i]![0],
      end: (i: number) => state.ranges[i]![1],
    }),
  });
  const play = vi.fn(() => {
    state.paused = false;
    return Promise.resolve();
  });
  const pause = vi.fn(() => {
    state.paused = true;
  });
  video.play = play;
  video.pause = pause;
  document.body.append(video);
  return { video, state, play, pause };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('HtmlVideoAdapter', () => {
  it('is a continuous-rate player with the HTML range and keeps the pitch', () => {
    const { video } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    expect(adapter.rateControl).toBe('continuous');
    expect(adapter.minRate).toBe(0.0625);
    expect(adapter.maxRate).toBe(16);
    expect(video.preservesPitch).toBe(true);
  });

  it('reads and sets the position in ms', () => {
    const { video } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    video.currentTime = 12.5;
    expect(adapter.currentTime()).toBe(12_500);
    adapter.seek(61_234);
    expect(video.currentTime).toBeCloseTo(61.234, 6);
    adapter.seek(-50);
    expect(video.currentTime).toBe(0);
  });

  it('plays and pauses the element', async () => {
    const { video, play, pause } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    expect(adapter.paused()).toBe(true);
    await adapter.play();
    expect(play).toHaveBeenCalledTimes(1);
    expect(adapter.paused()).toBe(false);
    adapter.pause();
    expect(pause).toHaveBeenCalledTimes(1);
    expect(adapter.paused()).toBe(true);
  });

  it('passes on a blocked play() as NotAllowedError', async () => {
    const { video } = fakeVideo();
    video.play = () => Promise.reject(new DOMException('needs a gesture', 'NotAllowedError'));
    const adapter = new HtmlVideoAdapter(video);
    const error: unknown = await adapter.play().catch((e: unknown) => e);
    expect(isAutoplayBlocked(error)).toBe(true);
  });

  it('sets any rate within the HTML range', () => {
    const { video } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    adapter.setRate(1.035);
    expect(video.playbackRate).toBe(1.035);
    expect(adapter.rate()).toBe(1.035);
    adapter.setRate(40);
    expect(adapter.rate()).toBe(16);
    adapter.setRate(0.01);
    expect(adapter.rate()).toBe(0.0625);
  });

  it('turns media events into the engine events', () => {
    const { video } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    const seen: string[] = [];
    for (const name of ['waiting', 'stalled', 'playing', 'seeked', 'ended'] as const) adapter.on(name, () => seen.push(name));
    for (const name of ['waiting', 'playing', 'seeked', 'ended', 'timeupdate']) video.dispatchEvent(new Event(name));
    expect(seen).toEqual(['waiting', 'playing', 'seeked', 'ended']);
  });

  it('reports `stalled` only when the element is short of data', () => {
    const { video, state } = fakeVideo({ readyState: 4 });
    const adapter = new HtmlVideoAdapter(video);
    const stalled = vi.fn();
    adapter.on('stalled', stalled);
    // The download paused with plenty buffered: not a stall to wait for.
    video.dispatchEvent(new Event('stalled'));
    expect(stalled).not.toHaveBeenCalled();
    state.readyState = 2;
    video.dispatchEvent(new Event('stalled'));
    expect(stalled).toHaveBeenCalledTimes(1);
  });

  it('stops listening once disposed', () => {
    const { video } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    const playing = vi.fn();
    adapter.on('playing', playing);
    adapter.dispose();
    video.dispatchEvent(new Event('playing'));
    expect(playing).not.toHaveBeenCalled();
  });

  it('measures what is buffered ahead of the position', () => {
    const { video, state } = fakeVideo({ ranges: [[0, 10], [30, 75.5]] });
    const adapter = new HtmlVideoAdapter(video);
    video.currentTime = 4;
    expect(adapter.bufferedAheadMs()).toBe(6000);
    video.currentTime = 40;
    expect(adapter.bufferedAheadMs()).toBe(35_500);
    video.currentTime = 20; // in the hole between the ranges
    expect(adapter.bufferedAheadMs()).toBe(0);
    state.readyState = 0;
    expect(adapter.bufferedAheadMs()).toBeNull();
  });

  it('says whether a position is buffered (a seek there needs no fetch)', () => {
    const { video, state } = fakeVideo({ ranges: [[0, 10], [30, 75.5]] });
    const adapter = new HtmlVideoAdapter(video);
    expect(adapter.bufferedAt(4000)).toBe(true);
    expect(adapter.bufferedAt(60_000)).toBe(true);
    expect(adapter.bufferedAt(20_000)).toBe(false);
    // Right at a range's end the frames after it are missing.
    expect(adapter.bufferedAt(75_490)).toBe(false);
    state.readyState = 0;
    expect(adapter.bufferedAt(4000)).toBe(false);
  });

  it('knows the length: ms, unknown before metadata, infinite when live', () => {
    const { video, state } = fakeVideo({ duration: 95.5 });
    const adapter = new HtmlVideoAdapter(video);
    expect(adapter.duration()).toBe(95_500);
    state.duration = Number.NaN;
    expect(adapter.duration()).toBeNull();
    state.duration = Number.POSITIVE_INFINITY;
    expect(adapter.duration()).toBe(Number.POSITIVE_INFINITY);
  });

  it('sets volume and mute on the element', () => {
    const { video } = fakeVideo();
    const adapter = new HtmlVideoAdapter(video);
    adapter.setVolume(0.4);
    adapter.setMuted(true);
    expect(video.volume).toBe(0.4);
    expect(video.muted).toBe(true);
    adapter.setVolume(3);
    expect(video.volume).toBe(1);
  });
});
