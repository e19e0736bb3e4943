/// <reference types="youtube" />
/**
 * YouTube through its official IFrame Player API (spec §4.5.2): loaded on demand from
 * `https://www.youtube.com/iframe_api`, never a stream extracted from the page.
 *
 * What the API allows shapes the adapter:
 * - The position arrives by `postMessage` a few times a second; between reports it is extrapolated
 *   by the local clock ({@link ReportedPosition}).
 * - Rates are the discrete steps of `getAvailablePlaybackRates()` (0.25 … 2): `coarse`, so the
 *   engine corrects with timed rate pulses and seeks rather than nudges.
 * - There is no `seeked` event: a seek is done once the player reports a position near the target
 *   and is not buffering.
 * - `UNSTARTED` long after `play()` (with a user gesture behind us) is a pre-roll ad: reported as an
 *   interruption, which ends when the video plays. `BUFFERING` while we want to play is `waiting`.
 *   `onAutoplayBlocked` rejects `play()` with `NotAllowedError`, like a `<video>`.
 */
import { PlayerEventEmitter, YOUTUBE_RATES, type PlayerEventName, type PlayerEvents, type RateControl } from '@/features/sync/engine/player';

import {
  autoplayBlockedError,
  hasUserActivation,
  performanceNow,
  ReportedPosition,
  type NowFn,
  type PlayerErrorHandler,
  type StagePlayer,
} from './stage-player';

export const YOUTUBE_API_URL = 'https://www.youtube.com/iframe_api';

/** The part of the IFrame API this adapter uses (a fake in tests). */
export interface YouTubeApi {
  Player: new (element: HTMLElement, options: YT.PlayerOptions) => YT.Player;
}

/** `YT.PlayerState`, without touching the global `YT` (absent until the API has loaded). */
const STATE = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 } as const;

/** UNSTARTED this long after `play()` (and a user gesture) means an ad is playing before the video. */
const AD_DETECT_MS = 1500;
/** Without a user gesture, `play()` that has not started after this was blocked. */
const BLOCKED_DETECT_MS = 2500;
/** A seek is done when the reported position is this close to the target (ms). */
const SEEK_LANDED_MS = 300;
const SEEK_POLL_MS = 50;
const SEEK_GIVE_UP_MS = 5000;

export const YOUTUBE_ERRORS: Record<number, string> = {
  2: 'YouTube says this video link is not valid.',
  5: 'YouTube’s player could not play this video in this browser.',
  100: 'This YouTube video was removed or is private.',
  101: 'The owner of this YouTube video does not allow it to be played on other sites.',
  150: 'The owner of this YouTube video does not allow it to be played on other sites.',
};

export const YOUTUBE_LOAD_ERROR = 'YouTube’s player could not be loaded. Check your connection or any content blocker.';

let apiPromise: Promise<YouTubeApi> | null = null;

interface YouTubeWindow {
  YT?: YouTubeApi & { loaded?: number };
  onYouTubeIframeAPIReady?: () => void;
}

/** Loads the IFrame API once per page; a failed load may be retried. */
export function loadYouTubeApi(timeoutMs = 20_000): Promise<YouTubeApi> {
  const win = window as Window & YouTubeWindow;
  if (win.YT?.Player && win.YT.loaded === 1) return Promise.resolve(win.YT);
  if (apiPromise) return apiPromise;
  apiPromise = new Promise<YouTubeApi>((resolve, reject) => {
    const previous = win.onYouTubeIframeAPIReady;
    const timer = window.setTimeout(() => failed(), timeoutMs);
    const script = document.createElement('script');
    function failed(): void {
      window.clearTimeout(timer);
      script.remove();
      apiPromise = null;
      reject(new Error(YOUTUBE_LOAD_ERROR));
    }
    win.onYouTubeIframeAPIReady = () => {
      window.clearTimeout(timer);
      previous?.();
      if (win.YT?.Player) resolve(win.YT);
      else failed();
    };
    script.src = YOUTUBE_API_URL;
    script.async = true;
    script.onerror = failed;
    document.head.append(script);
  });
  return apiPromise;
}

export interface YouTubeAdapterOptions {
  onError: PlayerErrorHandler;
  /** The API (defaults to loading the real one). */
  api?: YouTubeApi;
  now?: NowFn;
}

export class YouTubeAdapter implements StagePlayer {
  readonly provider = 'youtube' as const;
  readonly rateControl: RateControl = 'coarse';
  allowedRates: readonly number[] = YOUTUBE_RATES;

  private readonly emitter = new PlayerEventEmitter();
  private readonly position: ReportedPosition;
  private state: number = STATE.UNSTARTED;
  private wantPlay = false;
  private currentRate = 1;
  private lastRaw = Number.NaN;
  private interrupted = false;
  private pendingPlay: { resolve: () => void; reject: (error: unknown) => void; timer: number } | null = null;
  private seekPending: { target: number; since: number; timer: number } | null = null;
  private disposed = false;

  private constructor(
    private readonly player: YT.Player,
    private readonly host: HTMLElement,
    private readonly now: NowFn,
  ) {
    this.position = new ReportedPosition(now);
  }

  /**
   * A player for `videoId` inside `container` (an element the adapter owns: YouTube replaces it
   * with its iframe). Resolves once the player is ready for API calls.
   */
  static async create(container: HTMLElement, videoId: string, options: YouTubeAdapterOptions): Promise<YouTubeAdapter> {
    const api = options.api ?? (await loadYouTubeApi());
    const host = document.createElement('div');
    host.className = 'h-full w-full';
    container.append(host);
    return new Promise<YouTubeAdapter>((resolve, reject) => {
      let adapter: YouTubeAdapter | null = null;
      const player = new api.Player(host, {
        videoId,
        width: '100%',
        height: '100%',
        playerVars: {
          autoplay: 0,
          controls: 0,
          disablekb: 1,
          fs: 0,
          iv_load_policy: 3,
          playsinline: 1,
          rel: 0,
          enablejsapi: 1,
          origin: window.location.origin,
        },
        events: {
          onReady: () => {
            if (adapter) return;
            adapter = new YouTubeAdapter(player, host, options.now ?? performanceNow);
            adapter.onReady();
            resolve(adapter);
          },
          onStateChange: (event) => adapter?.onState(event.data),
          onPlaybackRateChange: (event) => adapter?.onRate(event.data),
          onAutoplayBlocked: () => adapter?.onAutoplayBlocked(),
          onError: (event) => {
            const message = YOUTUBE_ERRORS[event.data] ?? 'YouTube could not play this video.';
            options.onError(message);
            if (!adapter) reject(new Error(message));
          },
        },
      });
    });
  }

  currentTime(): number {
    this.readReport();
    const advancing = this.state === STATE.PLAYING && this.seekPending === null && !this.interrupted;
    return this.position.read(advancing, this.currentRate);
  }

  paused(): boolean {
    return !this.wantPlay || this.state === STATE.ENDED;
  }

  play(): Promise<void> {
    this.wantPlay = true;
    if (this.state === STATE.PLAYING) return Promise.resolve();
    this.settlePlay(null);
    const promise = new Promise<void>((resolve, reject) => {
      const timer = window.setTimeout(() => this.onPlayTimeout(), hasUserActivation() ? AD_DETECT_MS : BLOCKED_DETECT_MS);
      this.pendingPlay = { resolve, reject, timer };
    });
    this.player.playVideo();
    return promise;
  }

  pause(): void {
    this.wantPlay = false;
    this.settlePlay(new DOMException('paused', 'AbortError'));
    this.player.pauseVideo();
  }

  seek(ms: number): void {
    const target = Math.max(0, ms);
    this.clearSeek();
    this.player.seekTo(target / 1000, true);
    this.position.report(target);
    this.lastRaw = Number.NaN;
    this.seekPending = {
      target,
      since: this.now(),
      timer: window.setInterval(() => this.pollSeek(), SEEK_POLL_MS),
    };
  }

  setRate(rate: number): void {
    this.currentRate = rate;
    this.player.setPlaybackRate(rate);
  }

  rate(): number {
    return this.currentRate;
  }

  bufferedAheadMs(): number | null {
    const duration = this.duration();
    if (duration === null || !Number.isFinite(duration)) return null;
    const loaded = this.player.getVideoLoadedFraction() * duration;
    return Math.max(0, loaded - this.currentTime());
  }

  duration(): number | null {
    const seconds = this.player.getDuration();
    return seconds > 0 ? seconds * 1000 : null;
  }

  setVolume(volume: number): void {
    this.player.setVolume(Math.round(Math.min(1, Math.max(0, volume)) * 100));
  }

  setMuted(muted: boolean): void {
    if (muted) this.player.mute();
    else this.player.unMute();
  }

  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearSeek();
    this.settlePlay(new DOMException('disposed', 'AbortError'));
    this.player.destroy();
    this.host.remove();
  }

  // ---- player events -------------------------------------------------------------------------

  private onReady(): void {
    const rates = this.player.getAvailablePlaybackRates();
    if (rates.length > 1) this.allowedRates = [...rates].sort((a, b) => a - b);
    this.currentRate = this.player.getPlaybackRate() || 1;
    this.state = this.player.getPlayerState();
    this.readReport();
  }

  private onState(state: number): void {
    if (this.disposed) return;
    const previous = this.state;
    this.state = state;
    this.readReport();
    switch (state) {
      case STATE.PLAYING:
        this.endInterruption();
        this.settlePlay(null);
        if (this.seekPending) this.finishSeek();
        // Started from YouTube's own UI (e.g. after an ad): it is ours to keep in step now.
        this.wantPlay = true;
        this.emitter.emit('playing');
        break;
      case STATE.BUFFERING:
        this.settlePlay(null);
        if (this.wantPlay && this.seekPending === null) this.emitter.emit('waiting');
        break;
      case STATE.PAUSED:
      case STATE.CUED:
        if (this.seekPending) this.finishSeek();
        // Paused by YouTube itself (not by us): the engine sees it paused and starts it again.
        if (previous === STATE.PLAYING || previous === STATE.BUFFERING) this.wantPlay = false;
        break;
      case STATE.ENDED:
        this.settlePlay(null);
        this.emitter.emit('ended');
        break;
      default:
        break;
    }
  }

  private onRate(rate: number): void {
    this.currentRate = rate;
  }

  private onAutoplayBlocked(): void {
    this.wantPlay = false;
    this.settlePlay(autoplayBlockedError());
  }

  /** `play()` has not started the video yet. */
  private onPlayTimeout(): void {
    if (!this.pendingPlay) return;
    if (!hasUserActivation()) {
      this.wantPlay = false;
      this.settlePlay(autoplayBlockedError());
      return;
    }
    if (this.state === STATE.UNSTARTED && !this.interrupted) {
      this.interrupted = true;
      this.emitter.emit('interrupted', { active: true, reason: 'ad' });
    }
    this.settlePlay(null);
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Take a fresh report when the iframe sent one (the API caches its last position). */
  private readReport(): void {
    const raw = this.player.getCurrentTime() * 1000;
    if (raw === this.lastRaw || Number.isNaN(raw)) return;
    this.lastRaw = raw;
    this.position.report(raw);
  }

  private pollSeek(): void {
    const pending = this.seekPending;
    if (!pending) return;
    this.readReport();
    const landed = Math.abs(this.position.last - pending.target) <= SEEK_LANDED_MS && this.state !== STATE.BUFFERING;
    if (landed || this.now() - pending.since > SEEK_GIVE_UP_MS) this.finishSeek();
  }

  private finishSeek(): void {
    this.clearSeek();
    this.emitter.emit('seeked');
  }

  private clearSeek(): void {
    if (this.seekPending) window.clearInterval(this.seekPending.timer);
    this.seekPending = null;
  }

  private endInterruption(): void {
    if (!this.interrupted) return;
    this.interrupted = false;
    this.emitter.emit('interrupted', { active: false, reason: 'ad' });
  }

  /** Resolve (`error` null) or reject the `play()` in flight. */
  private settlePlay(error: unknown): void {
    const pending = this.pendingPlay;
    if (!pending) return;
    this.pendingPlay = null;
    window.clearTimeout(pending.timer);
    if (error === null) pending.resolve();
    else pending.reject(error);
  }
}
