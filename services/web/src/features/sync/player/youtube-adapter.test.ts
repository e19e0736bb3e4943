import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { isAutoplayBlocked } from '@/features/sync/engine/player';

import { fakeYouTubeApi, FakeYouTubePlayer } from './testing/fake-youtube';
import { YOUTUBE_ERRORS, YouTubeAdapter } from './youtube-adapter';

const STATE = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3 };

let now = 0;

async function create(onError = vi.fn()) {
  const container = document.createElement('div');
  document.body.append(container);
  const pending = YouTubeAdapter.create(container, 'dQw4w9WgXcQ', { api: fakeYouTubeApi, onError, now: () => now });
  await Promise.resolve();
  const yt = FakeYouTubePlayer.last!;
  yt.ready();
  const adapter = await pending;
  const events: string[] = [];
  for (const name of ['waiting', 'stalled', 'playing', 'seeked', 'ended'] as const) adapter.on(name, () => events.push(name));
  adapter.on('interrupted', ({ active }) => events.push(active ? 'ad-start' : 'ad-end'));
  return { adapter, yt, events, container, onError };
}

beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
});

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('YouTubeAdapter', () => {
  it('is a coarse player with the video’s own rates, embedded without YouTube’s controls', async () => {
    const { adapter, yt, container } = await create();
    expect(adapter.rateControl).toBe('coarse');
    expect(adapter.allowedRates).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(yt.options.playerVars).toMatchObject({ controls: 0, disablekb: 1, playsinline: 1, autoplay: 0 });
    expect(container.querySelector('iframe')).not.toBeNull();
    adapter.dispose();
    expect(yt.calls).toContain('destroy');
    expect(container.querySelector('iframe')).toBeNull();
  });

  it('extrapolates the reported position while playing, within a cap', async () => {
    const { adapter, yt } = await create();
    yt.time = 10;
    yt.setState(STATE.PLAYING);
    now = 200;
    expect(adapter.currentTime()).toBe(10_200);
    adapter.setRate(1.5);
    now = 400;
    expect(adapter.currentTime()).toBe(10_600);
    // A new report replaces the extrapolation.
    yt.time = 10.39;
    expect(adapter.currentTime()).toBe(10_390);
    now = 60_000;
    expect(adapter.currentTime()).toBe(10_390 + 1500 * 1.5);
    yt.setState(STATE.PAUSED);
    expect(adapter.currentTime()).toBe(10_390);
  });

  it('resolves play() once the video plays', async () => {
    const { adapter, yt, events } = await create();
    let resolved = false;
    void adapter.play().then(() => {
      resolved = true;
    });
    expect(yt.calls).toContain('playVideo');
    expect(adapter.paused()).toBe(false);
    yt.setState(STATE.PLAYING);
    await Promise.resolve();
    expect(resolved).toBe(true);
    expect(events).toEqual(['playing']);
    adapter.pause();
    expect(yt.calls).toContain('pauseVideo');
    expect(adapter.paused()).toBe(true);
  });

  it('rejects play() with NotAllowedError when YouTube says autoplay was blocked', async () => {
    const { adapter, yt } = await create();
    const result = adapter.play().catch((error: unknown) => error);
    yt.fire('onAutoplayBlocked');
    expect(isAutoplayBlocked(await result)).toBe(true);
    expect(adapter.paused()).toBe(true);
  });

  it('reports a pre-roll ad as an interruption until the video plays', async () => {
    const { adapter, yt, events } = await create();
    const played = adapter.play();
    yt.setState(STATE.UNSTARTED);
    await vi.advanceTimersByTimeAsync(1600);
    await played;
    expect(events).toEqual(['ad-start']);
    yt.setState(STATE.PLAYING);
    expect(events).toEqual(['ad-start', 'ad-end', 'playing']);
  });

  it('reports buffering while it should play as waiting', async () => {
    const { adapter, yt, events } = await create();
    yt.setState(STATE.PLAYING);
    void adapter.play();
    yt.setState(STATE.BUFFERING);
    yt.setState(STATE.PLAYING);
    expect(events).toEqual(['playing', 'waiting', 'playing']);
  });

  it('reports a seek done once the player is near the target', async () => {
    const { adapter, yt, events } = await create();
    yt.setState(STATE.PAUSED);
    adapter.seek(42_000);
    expect(yt.calls).toContain('seekTo 42');
    expect(adapter.currentTime()).toBe(42_000);
    await vi.advanceTimersByTimeAsync(60);
    expect(events).toEqual(['seeked']);
  });

  it('sets one of its rates, and the volume', async () => {
    const { adapter, yt } = await create();
    adapter.setRate(1.25);
    adapter.setVolume(0.5);
    adapter.setMuted(true);
    expect(yt.calls).toEqual(expect.arrayContaining(['setPlaybackRate 1.25', 'setVolume 50', 'mute']));
    expect(adapter.rate()).toBe(1.25);
    expect(adapter.duration()).toBe(300_000);
    yt.time = 10;
    expect(adapter.bufferedAheadMs()).toBe(20_000);
  });

  it('explains YouTube’s errors', async () => {
    const { yt, onError } = await create();
    yt.fire('onError', 150);
    expect(onError).toHaveBeenCalledWith(YOUTUBE_ERRORS[150]);
  });
});
