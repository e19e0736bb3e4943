/// <reference types="youtube" />
/**
 * A stand-in for YouTube's IFrame API (the real one is a script from youtube.com): players that
 * record calls and whose state and position a test drives, firing the API's events.
 */
import type { YouTubeApi } from '../youtube-adapter';

export class FakeYouTubePlayer {
  static last: FakeYouTubePlayer | null = null;
  readonly calls: string[] = [];
  state = -1;
  /** Seconds, as `getCurrentTime()` reports. */
  time = 0;
  durationS = 300;
  loadedFraction = 0.1;
  playbackRate = 1;
  rates = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
  readonly iframe: HTMLIFrameElement;

  constructor(
    element: HTMLElement,
    readonly options: YT.PlayerOptions,
  ) {
    this.iframe = document.createElement('iframe');
    this.iframe.title = 'YouTube video player';
    element.replaceWith(this.iframe);
    FakeYouTubePlayer.last = this;
  }

  /** Fire `onReady` (the real player does once its iframe loaded). */
  ready(): void {
    this.options.events?.onReady?.({ target: this as unknown as YT.Player });
  }

  /** Move to `state` and fire `onStateChange`. */
  setState(state: number): void {
    this.state = state;
    this.options.events?.onStateChange?.({ target: this as unknown as YT.Player, data: state });
  }

  fire(event: 'onAutoplayBlocked'): void;
  fire(event: 'onError', data: number): void;
  fire(event: 'onAutoplayBlocked' | 'onError', data?: number): void {
    const target = this as unknown as YT.Player;
    if (event === 'onError') this.options.events?.onError?.({ target, data: data as YT.PlayerError });
    else this.options.events?.onAutoplayBlocked?.({ target });
  }

  playVideo(): void {
    this.calls.push('playVideo');
  }
  pauseVideo(): void {
    this.calls.push('pauseVideo');
  }
  seekTo(seconds: number): void {
    this.calls.push(`seekTo ${seconds}`);
    this.time = seconds;
  }
  setPlaybackRate(rate: number): void {
    this.calls.push(`setPlaybackRate ${rate}`);
    this.playbackRate = rate;
  }
  getPlaybackRate(): number {
    return this.playbackRate;
  }
  getAvailablePlaybackRates(): number[] {
    return this.rates;
  }
  getCurrentTime(): number {
    return this.time;
  }
  getDuration(): number {
    return this.durationS;
  }
  getVideoLoadedFraction(): number {
    return this.loadedFraction;
  }
  getPlayerState(): number {
    return this.state;
  }
  setVolume(volume: number): void {
    this.calls.push(`setVolume ${volume}`);
  }
  mute(): void {
    this.calls.push('mute');
  }
  unMute(): void {
    this.calls.push('unMute');
  }
  destroy(): void {
    this.calls.push('destroy');
    this.iframe.remove();
  }
}

export const fakeYouTubeApi: YouTubeApi = {
  Player: FakeYouTubePlayer as unknown as YouTubeApi['Player'],
};

/** Install the fake as `window.YT`, as if the API script had loaded. */
export function installFakeYouTube(): void {
  (window as Window & { YT?: unknown }).YT = { ...fakeYouTubeApi, loaded: 1 };
}

export function uninstallFakeYouTube(): void {
  delete (window as Window & { YT?: unknown }).YT;
  FakeYouTubePlayer.last = null;
}
