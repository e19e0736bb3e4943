/**
 * Vimeo through its official player SDK (`@vimeo/player`, spec §4.5.3). Every call crosses into the
 * iframe by `postMessage` and answers asynchronously, so the adapter keeps what the engine reads
 * synchronously (position, paused, rate) from the player's events, and extrapolates the position
 * between `timeupdate` reports ({@link ReportedPosition}).
 *
 * Rate: Vimeo takes any rate from 0.5 to 2 (`continuous`) — when the video owner's account allows
 * speed changes. When it refuses one, the adapter turns `coarse` with the single rate 1, so the
 * engine keeps sync by seeks alone.
 */
import type VimeoPlayer from '@vimeo/player';
import type { VimeoUrl } from '@vimeo/player';

import { PlayerEventEmitter, type PlayerEventName, type PlayerEvents, type RateControl } from '@/features/sync/engine/player';

import {
  autoplayBlockedError,
  performanceNow,
  ReportedPosition,
  type NowFn,
  type PlayerErrorHandler,
  type StagePlayer,
} from './stage-player';

/** The part of the SDK this adapter uses (a fake in tests). */
export type VimeoPlayerLike = Pick<
  VimeoPlayer,
  | 'ready'
  | 'play'
  | 'pause'
  | 'setCurrentTime'
  | 'setPlaybackRate'
  | 'getDuration'
  | 'getPlaybackRate'
  | 'setVolume'
  | 'setMuted'
  | 'on'
  | 'destroy'
>;

export type VimeoPlayerFactory = (element: HTMLElement, url: VimeoUrl) => VimeoPlayerLike;

export const VIMEO_ERRORS = {
  password: 'This Vimeo video is password-protected, so it cannot be played here.',
  privacy: 'This Vimeo video is private or does not allow playing on other sites.',
  notFound: 'This Vimeo video was not found.',
  other: 'Vimeo could not play this video.',
} as const;

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
}

function vimeoErrorMessage(error: unknown): string {
  switch (errorName(error)) {
    case 'PasswordError':
      return VIMEO_ERRORS.password;
    case 'PrivacyError':
      return VIMEO_ERRORS.privacy;
    case 'NotFoundError':
      return VIMEO_ERRORS.notFound;
    default:
      return VIMEO_ERRORS.other;
  }
}

/**
 * The form the SDK takes: `https://vimeo.com/<id>` (plus `/<hash>` for an unlisted video, which
 * does not play without it). The server already answers with that form; other Vimeo links are
 * rewritten to it when their id can be found.
 */
export function vimeoUrl(url: string): VimeoUrl | null {
  if (/^https:\/\/vimeo\.com\/\d+(\/[0-9a-f]+)?$/i.test(url)) return url as VimeoUrl;
  try {
    const parsed = new URL(url);
    const id = /(?:^|\/)(\d+)(?:\/([0-9a-f]+))?\/?$/i.exec(parsed.pathname);
    if (id === null) return null;
    const hash = id[2] ?? parsed.searchParams.get('h');
    return `https://vimeo.com/${id[1]}${hash ? `/${hash}` : ''}`;
  } catch {
    return null;
  }
}

const realFactory = async (): Promise<VimeoPlayerFactory> => {
  const { default: Player } = await import('@vimeo/player');
  return (element, url) =>
    new Player(element, {
      url,
      autoplay: false,
      controls: false,
      dnt: true,
      keyboard: false,
      playsinline: true,
      responsive: false,
      width: 640,
      title: false,
      byline: false,
      portrait: false,
    });
};

export interface VimeoAdapterOptions {
  onError: PlayerErrorHandler;
  factory?: VimeoPlayerFactory;
  now?: NowFn;
}

export class VimeoAdapter implements StagePlayer {
  readonly provider = 'vimeo' as const;
  rateControl: RateControl = 'continuous';
  allowedRates: readonly number[] | undefined = undefined;
  readonly minRate = 0.5;
  readonly maxRate = 2;

  private readonly emitter = new PlayerEventEmitter();
  private readonly position: ReportedPosition;
  private isPaused = true;
  private buffering = false;
  private seeking = false;
  private currentRate = 1;
  private lengthMs: number | null = null;
  private loadedMs = 0;
  private disposed = false;

  private constructor(
    private readonly player: VimeoPlayerLike,
    private readonly host: HTMLElement,
    private readonly onError: PlayerErrorHandler,
    now: NowFn,
  ) {
    this.position = new ReportedPosition(now);
  }

  /** A player for the Vimeo `url` inside `container`; resolves once it is ready. */
  static async create(container: HTMLElement, url: string, options: VimeoAdapterOptions): Promise<VimeoAdapter> {
    const videoUrl = vimeoUrl(url);
    if (videoUrl === null) {
      options.onError(VIMEO_ERRORS.notFound);
      throw new Error(VIMEO_ERRORS.notFound);
    }
    const factory = options.factory ?? (await realFactory());
    const host = document.createElement('div');
    host.className = 'h-full w-full [&_iframe]:h-full [&_iframe]:w-full';
    container.append(host);
    const player = factory(host, videoUrl);
    const adapter = new VimeoAdapter(player, host, options.onError, options.now ?? performanceNow);
    adapter.subscribe();
    try {
      await player.ready();
      const [duration, rate] = await Promise.all([player.getDuration(), player.getPlaybackRate()]);
      adapter.lengthMs = duration > 0 ? duration * 1000 : null;
      adapter.currentRate = rate;
    } catch (error) {
      adapter.dispose();
      const message = vimeoErrorMessage(error);
      options.onError(message);
      throw new Error(message);
    }
    return adapter;
  }

  currentTime(): number {
    return this.position.read(!this.isPaused && !this.buffering && !this.seeking, this.currentRate);
  }

  paused(): boolean {
    return this.isPaused;
  }

  play(): Promise<void> {
    this.isPaused = false;
    return this.player.play().catch((error: unknown) => {
      this.isPaused = true;
      if (errorName(error) === 'NotAllowedError') throw autoplayBlockedError();
      if (['PasswordError', 'PrivacyError', 'NotFoundError'].includes(errorName(error))) this.onError(vimeoErrorMessage(error));
      throw error;
    });
  }

  pause(): void {
    this.isPaused = true;
    this.player.pause().catch(() => undefined);
  }

  seek(ms: number): void {
    let seconds = Math.max(0, ms) / 1000;
    if (this.lengthMs !== null) seconds = Math.min(seconds, this.lengthMs / 1000 - 0.05);
    this.seeking = true;
    this.position.report(seconds * 1000);
    this.player.setCurrentTime(seconds).catch(() => {
      // Refused (out of range): nothing moved. Say so, or the engine waits for its seek timeout.
      this.seeking = false;
      this.emitter.emit('seeked');
    });
  }

  setRate(rate: number): void {
    if (this.rateControl === 'coarse') return;
    const clamped = Math.min(this.maxRate, Math.max(this.minRate, rate));
    this.currentRate = clamped;
    this.player.setPlaybackRate(clamped).catch((error: unknown) => {
      if (errorName(error) === 'RangeError') return;
      // The owner's account does not allow speed changes: seeks only from now on.
      this.rateControl = 'coarse';
      this.allowedRates = [1];
      this.currentRate = 1;
    });
  }

  rate(): number {
    return this.currentRate;
  }

  bufferedAheadMs(): number | null {
    return Math.max(0, this.loadedMs - this.currentTime());
  }

  duration(): number | null {
    return this.lengthMs;
  }

  setVolume(volume: number): void {
    this.player.setVolume(Math.min(1, Math.max(0, volume))).catch(() => undefined);
  }

  setMuted(muted: boolean): void {
    this.player.setMuted(muted).catch(() => undefined);
  }

  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.player.destroy().catch(() => undefined);
    this.host.remove();
  }

  private subscribe(): void {
    const p = this.player;
    p.on('timeupdate', (data) => {
      if (!this.seeking) this.position.report(data.seconds * 1000);
      if (data.duration > 0) this.lengthMs = data.duration * 1000;
    });
    p.on('progress', (data) => {
      this.loadedMs = data.seconds * 1000;
    });
    p.on('playing', (data) => {
      this.isPaused = false;
      this.buffering = false;
      this.position.report(data.seconds * 1000);
      this.emitter.emit('playing');
    });
    p.on('pause', (data) => {
      this.isPaused = true;
      this.position.report(data.seconds * 1000);
    });
    p.on('bufferstart', () => {
      this.buffering = true;
      if (!this.isPaused && !this.seeking) this.emitter.emit('waiting');
    });
    p.on('bufferend', () => {
      this.buffering = false;
      if (!this.isPaused) this.emitter.emit('playing');
    });
    p.on('seeked', (data) => {
      this.seeking = false;
      this.position.report(data.seconds * 1000);
      this.emitter.emit('seeked');
    });
    p.on('ended', () => {
      this.isPaused = true;
      this.emitter.emit('ended');
    });
    p.on('playbackratechange', (data) => {
      this.currentRate = data.playbackRate;
    });
    p.on('error', (data) => {
      if (this.disposed) return;
      if (data.name === 'PasswordError' || data.name === 'PrivacyError' || data.name === 'NotFoundError') {
        this.onError(vimeoErrorMessage(data));
      }
    });
  }
}
