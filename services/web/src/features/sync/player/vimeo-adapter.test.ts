import { afterEach, describe, expect, it, vi } from 'vitest';

import { isAutoplayBlocked } from '@/features/sync/engine/player';

import { VIMEO_ERRORS, VimeoAdapter, vimeoUrl, type VimeoPlayerLike } from './vimeo-adapter';

type Handler = (data: never) => void;

/** The SDK's player as far as the adapter uses it: calls recorded, events fired by the test. */
function fakeVimeo() {
  const handlers = new Map<string, Handler[]>();
  const calls: string[] = [];
  const player = {
    ready: vi.fn(() => Promise.resolve()),
    play: vi.fn(() => Promise.resolve()),
    pause: vi.fn(() => Promise.resolve()),
    setCurrentTime: vi.fn((s: number) => {
      calls.push(`setCurrentTime ${s}`);
      return Promise.resolve(s);
    }),
    setPlaybackRate: vi.fn((r: number) => {
      calls.push(`setPlaybackRate ${r}`);
      return Promise.resolve(r);
    }),
    getDuration: vi.fn(() => Promise.resolve(600)),
    getPlaybackRate: vi.fn(() => Promise.resolve(1)),
    setVolume: vi.fn((v: number) => Promise.resolve(v)),
    setMuted: vi.fn((m: boolean) => Promise.resolve(m)),
    on: vi.fn((event: string, handler: Handler) => {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
    }),
    destroy: vi.fn(() => Promise.resolve()),
  };
  const fire = (event: string, data: unknown = {}) => {
    for (const handler of handlers.get(event) ?? []) handler(data as never);
  };
  return { player, fire, calls };
}

async function create(fake = fakeVimeo()) {
  let now = 0;
  const container = document.createElement('div');
  const onError = vi.fn();
  const adapter = await VimeoAdapter.create(container, 'https://vimeo.com/76979871', {
    onError,
    now: () => now,
    factory: () => fake.player,
  });
  const events: string[] = [];
  for (const name of ['waiting', 'playing', 'seeked', 'ended'] as const) adapter.on(name, () => events.push(name));
  return { adapter, ...fake, events, onError, advance: (ms: number) => (now += ms) };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('vimeoUrl', () => {
  it('keeps the SDK’s form and rewrites other Vimeo links to it', () => {
    expect(vimeoUrl('https://vimeo.com/76979871')).toBe('https://vimeo.com/76979871');
    expect(vimeoUrl('https://vimeo.com/76979871/8272103f6e')).toBe('https://vimeo.com/76979871/8272103f6e');
    expect(vimeoUrl('https://player.vimeo.com/video/76979871?h=8272103f6e')).toBe('https://vimeo.com/76979871/8272103f6e');
    expect(vimeoUrl('https://vimeo.com/channels/staffpicks/76979871')).toBe('https://vimeo.com/76979871');
    expect(vimeoUrl('https://vimeo.com/about')).toBeNull();
  });
});

describe('VimeoAdapter', () => {
  it('is a continuous player from 0.5 to 2 and knows the length once ready', async () => {
    const { adapter } = await create();
    expect(adapter.rateControl).toBe('continuous');
    expect([adapter.minRate, adapter.maxRate]).toEqual([0.5, 2]);
    expect(adapter.duration()).toBe(600_000);
  });

  it('turns coarse (seeks only) when the account refuses speed changes', async () => {
    const fake = fakeVimeo();
    fake.player.setPlaybackRate.mockImplementation(() => Promise.reject(Object.assign(new Error('speed off'), { name: 'Error' })));
    const { adapter } = await create(fake);
    adapter.setRate(1.02);
    await Promise.resolve();
    await Promise.resolve();
    expect(adapter.rateControl).toBe('coarse');
    expect(adapter.allowedRates).toEqual([1]);
    expect(adapter.rate()).toBe(1);
  });

  it('follows timeupdate between reports and stops while buffering', async () => {
    const { adapter, fire, events, advance } = await create();
    fire('playing', { seconds: 5, duration: 600, percent: 0 });
    fire('timeupdate', { seconds: 5.25, duration: 600, percent: 0 });
    advance(100);
    expect(adapter.currentTime()).toBe(5350);
    fire('bufferstart');
    expect(adapter.currentTime()).toBe(5250);
    fire('bufferend');
    expect(events).toEqual(['playing', 'waiting', 'playing']);
  });

  it('maps a blocked play() to NotAllowedError', async () => {
    const fake = fakeVimeo();
    fake.player.play.mockImplementation(() => Promise.reject(Object.assign(new Error('blocked'), { name: 'NotAllowedError' })));
    const { adapter } = await create(fake);
    const error: unknown = await adapter.play().catch((e: unknown) => e);
    expect(isAutoplayBlocked(error)).toBe(true);
    expect(adapter.paused()).toBe(true);
  });

  it('seeks and reports the SDK’s seeked', async () => {
    const { adapter, fire, calls, events } = await create();
    adapter.seek(12_000);
    expect(calls).toContain('setCurrentTime 12');
    fire('seeked', { seconds: 12, duration: 600, percent: 0.02 });
    expect(events).toEqual(['seeked']);
  });

  it('explains a private video', async () => {
    const fake = fakeVimeo();
    fake.player.ready.mockImplementation(() => Promise.reject(Object.assign(new Error('private'), { name: 'PrivacyError' })));
    const onError = vi.fn();
    await expect(
      VimeoAdapter.create(document.createElement('div'), 'https://vimeo.com/1', {
        onError,
        factory: () => fake.player as unknown as VimeoPlayerLike,
      }),
    ).rejects.toThrow(VIMEO_ERRORS.privacy);
    expect(onError).toHaveBeenCalledWith(VIMEO_ERRORS.privacy);
  });
});
