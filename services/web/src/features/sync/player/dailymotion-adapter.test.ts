import { afterEach, describe, expect, it, vi } from 'vitest';

import { DailymotionAdapter, dailymotionEmbedUrl, parseDailymotionMessage } from './dailymotion-adapter';

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

/** A message from the embed, as the browser delivers it. */
function fromEmbed(iframe: HTMLIFrameElement, data: unknown, origin = 'https://www.dailymotion.com'): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: iframe.contentWindow }));
}

async function create() {
  let now = 0;
  const container = document.createElement('div');
  document.body.append(container);
  const onError = vi.fn();
  const pending = DailymotionAdapter.create(container, 'x8abc12', { onError, now: () => now });
  const iframe = container.querySelector('iframe')!;
  fromEmbed(iframe, 'event=apiready&id=p1');
  const adapter = await pending;
  const events: string[] = [];
  for (const name of ['waiting', 'playing', 'seeked', 'ended'] as const) adapter.on(name, () => events.push(name));
  adapter.on('interrupted', ({ active }) => events.push(active ? 'ad-start' : 'ad-end'));
  return { adapter, iframe, events, onError, advance: (ms: number) => (now += ms) };
}

describe('Dailymotion', () => {
  it('embeds the video with the postMessage API on and without Dailymotion’s controls', () => {
    const url = new URL(dailymotionEmbedUrl('x8abc12', 'p1'));
    expect(url.origin + url.pathname).toBe('https://www.dailymotion.com/embed/video/x8abc12');
    expect(url.searchParams.get('api')).toBe('postMessage');
    expect(url.searchParams.get('controls')).toBe('0');
    expect(url.searchParams.get('autoplay')).toBe('0');
  });

  it('reads events in either form the embed sends', () => {
    expect(parseDailymotionMessage('event=timeupdate&time=12.5&id=p1')).toEqual({ event: 'timeupdate', time: '12.5', id: 'p1' });
    expect(parseDailymotionMessage('{"event":"seeked","time":3}')).toEqual({ event: 'seeked', time: '3' });
    expect(parseDailymotionMessage({ event: 'play' })).toEqual({ event: 'play' });
    expect(parseDailymotionMessage('hello')).toBeNull();
    expect(parseDailymotionMessage(42)).toBeNull();
  });

  it('follows the embed’s reports, and only the embed’s', async () => {
    const { adapter, iframe, events, advance } = await create();
    expect(adapter.rateControl).toBe('coarse');
    expect(adapter.allowedRates).toEqual([1]);
    fromEmbed(iframe, 'event=durationchange&duration=300');
    fromEmbed(iframe, 'event=playing');
    fromEmbed(iframe, 'event=timeupdate&time=12');
    advance(100);
    expect(adapter.currentTime()).toBe(12_100);
    expect(adapter.duration()).toBe(300_000);
    fromEmbed(iframe, 'event=timeupdate&time=99', 'https://evil.example');
    expect(adapter.currentTime()).toBe(12_100);
    fromEmbed(iframe, 'event=ad_start');
    fromEmbed(iframe, 'event=ad_end');
    fromEmbed(iframe, 'event=waiting');
    fromEmbed(iframe, 'event=video_end');
    expect(events).toEqual(['playing', 'ad-start', 'ad-end', 'waiting', 'ended']);
  });

  it('reports a seek done when the embed says so', async () => {
    const { adapter, iframe, events } = await create();
    adapter.seek(30_000);
    expect(adapter.currentTime()).toBe(30_000);
    fromEmbed(iframe, 'event=seeked&time=30.01');
    expect(events).toEqual(['seeked']);
    expect(adapter.currentTime()).toBe(30_010);
  });

  it('resolves play() when the video plays', async () => {
    const { adapter, iframe } = await create();
    const played = adapter.play();
    expect(adapter.paused()).toBe(false);
    fromEmbed(iframe, 'event=playing');
    await expect(played).resolves.toBeUndefined();
  });

  it('gives up on an embed that never becomes ready', async () => {
    vi.useFakeTimers();
    const container = document.createElement('div');
    const onError = vi.fn();
    const pending = DailymotionAdapter.create(container, 'x8abc12', { onError, readyTimeoutMs: 1000 });
    const result = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toBeInstanceOf(Error);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(container.querySelector('iframe')).toBeNull();
  });
});
