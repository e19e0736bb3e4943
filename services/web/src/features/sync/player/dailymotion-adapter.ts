/**
 * Dailymotion through its embed's `postMessage` API (spec §4.5.3, "partial" sync): commands go in
 * as `{"command": …, "parameters": […]}`, events come out as `event=timeupdate&time=12.3` strings
 * (or the same as a JSON object). The API has no playback-rate command, so the adapter is `coarse`
 * with the single rate 1: the engine keeps sync by seeks alone, within a fraction of a second.
 * Ads are reported (`ad_start` / `ad_end`) and become the engine's interruptions.
 */
import { PlayerEventEmitter, type PlayerEventName, type PlayerEvents, type RateControl } from '@/features/sync/engine/player';

import {
  autoplayBlockedError,
  hasUserActivation,
  performanceNow,
  ReportedPosition,
  type NowFn,
  type PlayerErrorHandler,
  type StagePlayer,
} from './stage-player';

const EMBED_ORIGINS = new Set(['https://www.dailymotion.com', 'https://geo.dailymotion.com']);
const READY_TIMEOUT_MS = 20_000;
/** `play()` that has not started after this, without a user gesture, was blocked. */
const PLAY_DETECT_MS = 2500;

export const DAILYMOTION_LOAD_ERROR = 'Dailymotion’s player did not load. Check your connection or any content blocker.';
export const DAILYMOTION_PLAY_ERROR = 'Dailymotion could not play this video.';

/** The embed URL for `videoId`, with the API on and Dailymotion's own UI kept out of the way. */
export function dailymotionEmbedUrl(videoId: string, playerId: string): string {
  const params = new URLSearchParams({
    api: 'postMessage',
    id: playerId,
    autoplay: '0',
    controls: '0',
    'queue-enable': 'false',
    'sharing-enable': 'false',
    'ui-start-screen-info': 'false',
    origin: window.location.origin,
  });
  return `https://www.dailymotion.com/embed/video/${encodeURIComponent(videoId)}?${params.toString()}`;
}

/** One event from the embed, whatever form it came in; null for anything else. */
export function parseDailymotionMessage(data: unknown): Record<string, string> | null {
  if (typeof data === 'string') {
    if (data.startsWith('{')) {
      try {
        return parseDailymotionMessage(JSON.parse(data) as unknown);
      } catch {
        return null;
      }
    }
    const params = new URLSearchParams(data);
    const event = params.get('event');
    return event === null ? null : Object.fromEntries(params.entries());
  }
  if (typeof data === 'object' && data !== null && 'event' in data && typeof data.event === 'string') {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    }
    return out;
  }
  return null;
}

let playerCount = 0;

export interface DailymotionAdapterOptions {
  onError: PlayerErrorHandler;
  now?: NowFn;
  readyTimeoutMs?: number;
}

export class DailymotionAdapter implements StagePlayer {
  readonly provider = 'dailymotion' as const;
  readonly rateControl: RateControl = 'coarse';
  readonly allowedRates: readonly number[] = [1];

  private readonly emitter = new PlayerEventEmitter();
  private readonly position: ReportedPosition;
  private isPaused = true;
  private advancing = false;
  private seeking = false;
  private interrupted = false;
  private lengthMs: number | null = null;
  private loadedMs = 0;
  private pendingPlay: { resolve: () => void; reject: (error: unknown) => void; timer: number } | null = null;
  private disposed = false;
  private readonly onMessage: (event: MessageEvent) => void;

  private constructor(
    private readonly iframe: HTMLIFrameElement,
    private readonly onError: PlayerErrorHandler,
    now: NowFn,
    onReady: () => void,
  ) {
    this.position = new ReportedPosition(now);
    this.onMessage = (event: MessageEvent) => {
      if (!EMBED_ORIGINS.has(event.origin) || event.source !== iframe.contentWindow) return;
      const message = parseDailymotionMessage(event.data);
      if (message === null) return;
      if (message.event === 'apiready') onReady();
      this.handle(message);
    };
    window.addEventListener('message', this.onMessage);
  }

  /** A player for `videoId` inside `container`; resolves when the embed says its API is ready. */
  static create(container: HTMLElement, videoId: string, options: DailymotionAdapterOptions): Promise<DailymotionAdapter> {
    playerCount += 1;
    const iframe = document.createElement('iframe');
    iframe.title = 'Dailymotion video player';
    iframe.className = 'h-full w-full border-0';
    iframe.allow = 'autoplay; fullscreen; picture-in-picture; encrypted-media';
    iframe.src = dailymotionEmbedUrl(videoId, `syncwatch-dm-${playerCount}`);
    return new Promise<DailymotionAdapter>((resolve, reject) => {
      let done = false;
      const adapter = new DailymotionAdapter(iframe, options.onError, options.now ?? performanceNow, () => {
        if (done) return;
        done = true;
        window.clearTimeout(timer);
        resolve(adapter);
      });
      const timer = window.setTimeout(() => {
        if (done) return;
        done = true;
        adapter.dispose();
        options.onError(DAILYMOTION_LOAD_ERROR);
        reject(new Error(DAILYMOTION_LOAD_ERROR));
      }, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
      container.append(iframe);
    });
  }

  currentTime(): number {
    return this.position.read(this.advancing && !this.seeking && !this.interrupted, 1);
  }

  paused(): boolean {
    return this.isPaused;
  }

  play(): Promise<void> {
    this.isPaused = false;
    this.settlePlay(null);
    const promise = new Promise<void>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        if (hasUserActivation()) {
          this.settlePlay(null);
        } else {
          this.isPaused = true;
          this.settlePlay(autoplayBlockedError());
        }
      }, PLAY_DETECT_MS);
      this.pendingPlay = { resolve, reject, timer };
    });
    this.command('play');
    return promise;
  }

  pause(): void {
    this.isPaused = true;
    this.advancing = false;
    this.settlePlay(new DOMException('paused', 'AbortError'));
    this.command('pause');
  }

  seek(ms: number): void {
    const target = Math.max(0, ms);
    this.seeking = true;
    this.position.report(target);
    this.command('seek', [target / 1000]);
  }

  setRate(): void {
    // No rate command in this API: `allowedRates` is [1], so the engine never asks for another.
  }

  rate(): number {
    return 1;
  }

  bufferedAheadMs(): number | null {
    return this.loadedMs > 0 ? Math.max(0, this.loadedMs - this.currentTime()) : null;
  }

  duration(): number | null {
    return this.lengthMs;
  }

  setVolume(volume: number): void {
    this.command('volume', [Math.min(1, Math.max(0, volume))]);
  }

  setMuted(muted: boolean): void {
    this.command('muted', [muted]);
  }

  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    window.removeEventListener('message', this.onMessage);
    this.settlePlay(new DOMException('disposed', 'AbortError'));
    this.iframe.remove();
  }

  private command(command: string, parameters: unknown[] = []): void {
    this.iframe.contentWindow?.postMessage(JSON.stringify({ command, parameters }), 'https://www.dailymotion.com');
  }

  private handle(message: Record<string, string>): void {
    const time = message.time === undefined ? Number.NaN : Number(message.time);
    switch (message.event) {
      case 'timeupdate':
        if (!this.seeking && Number.isFinite(time)) this.position.report(time * 1000);
        break;
      case 'durationchange': {
        const duration = Number(message.duration);
        if (duration > 0) this.lengthMs = duration * 1000;
        break;
      }
      case 'progress':
        if (Number.isFinite(time)) this.loadedMs = time * 1000;
        break;
      case 'play':
        this.settlePlay(null);
        break;
      case 'playing':
        this.isPaused = false;
        this.advancing = true;
        this.settlePlay(null);
        this.emitter.emit('playing');
        break;
      case 'waiting':
        this.advancing = false;
        if (!this.isPaused && !this.seeking) this.emitter.emit('waiting');
        break;
      case 'pause':
        this.isPaused = true;
        this.advancing = false;
        break;
      case 'seeked':
        this.seeking = false;
        if (Number.isFinite(time)) this.position.report(time * 1000);
        this.emitter.emit('seeked');
        break;
      case 'end':
      case 'video_end':
        this.isPaused = true;
        this.advancing = false;
        this.emitter.emit('ended');
        break;
      case 'ad_start':
        this.settlePlay(null);
        if (!this.interrupted) {
          this.interrupted = true;
          this.emitter.emit('interrupted', { active: true, reason: 'ad' });
        }
        break;
      case 'ad_end':
        if (this.interrupted) {
          this.interrupted = false;
          this.emitter.emit('interrupted', { active: false, reason: 'ad' });
        }
        break;
      case 'error':
        this.onError(DAILYMOTION_PLAY_ERROR);
        break;
      default:
        break;
    }
  }

  private settlePlay(error: unknown): void {
    const pending = this.pendingPlay;
    if (!pending) return;
    this.pendingPlay = null;
    window.clearTimeout(pending.timer);
    if (error === null) pending.resolve();
    else pending.reject(error);
  }
}
