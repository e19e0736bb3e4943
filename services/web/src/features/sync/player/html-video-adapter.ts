import { PlayerEventEmitter, type PlayerEventName, type PlayerEvents, type RateControl } from '@/features/sync/engine/player';

import type { PlayerProvider } from './sources';
import type { StagePlayer } from './stage-player';

/** `HTMLMediaElement.readyState`: enough data to play on from the current position. */
const HAVE_FUTURE_DATA = 3;

/** A buffered range this close after the current position still counts as containing it (s). */
const RANGE_SLACK_S = 0.05;

/**
 * How far Chromium's media clock falls back when `playbackRate` leaves 1 (ms): measured with the
 * browser bench (`loadtests/bench_sync.py`, H.264 + AAC): 15–18 ms per change, and 16–25 ms over
 * pulses of 40–500 ms at rates 0.75–1.25 (headless Chromium). The engine learns the real figure
 * from its own corrections; this is only where it starts.
 */
const CHROMIUM_RATE_CHANGE_LAG_MS = 20;

/**
 * Time from `play()` until Chromium's media clock advances steadily (ms), measured in headless
 * Chromium (H.264 + AAC, 40 cued starts): 65–87 ms (the audio output's start; `currentTime` first
 * runs ~18 ms ahead ~2–13 ms after the call, then stands until the audio starts). A prior only.
 */
const CHROMIUM_PLAY_LATENCY_MS = 75;

function isChromium(): boolean {
  if (typeof navigator === 'undefined') return false;
  const brands = (navigator as Navigator & { userAgentData?: { brands?: Array<{ brand: string }> } }).userAgentData?.brands;
  if (brands?.some((b) => b.brand === 'Chromium')) return true;
  return /\bChrom(e|ium)\//.test(navigator.userAgent);
}

/**
 * A `<video>` as a {@link StagePlayer}: position from `currentTime`, any rate (`preservesPitch`, so
 * the controller's small rate nudges are inaudible), and the engine's events straight from the
 * media events. Whatever sets the element's source (a direct URL, hls.js, native HLS) is separate:
 * this adapter only plays.
 */
export class HtmlVideoAdapter implements StagePlayer {
  readonly rateControl: RateControl = 'continuous';
  /** The range browsers accept (Chromium refuses outside 1/16…16). */
  readonly minRate = 0.0625;
  readonly maxRate = 16;
  /** `PlayerAdapter.rateChangeLagMs`: the figure measured in Chromium, else none known. */
  readonly rateChangeLagMs = isChromium() ? CHROMIUM_RATE_CHANGE_LAG_MS : 0;
  /** `PlayerAdapter.playLatencyMs`: the figure measured in Chromium, else none known. */
  readonly playLatencyMs = isChromium() ? CHROMIUM_PLAY_LATENCY_MS : undefined;

  private readonly emitter = new PlayerEventEmitter();
  private readonly listeners: Array<[string, EventListener]> = [];

  constructor(
    readonly video: HTMLVideoElement,
    readonly provider: PlayerProvider = 'direct',
  ) {
    video.preservesPitch = true;
    this.listen('waiting', () => this.emitter.emit('waiting'));
    // `stalled` also fires while plenty is buffered (the download paused): only a stall that
    // leaves the element short of data is one the engine should wait for.
    this.listen('stalled', () => {
      if (video.readyState < HAVE_FUTURE_DATA) this.emitter.emit('stalled');
    });
    this.listen('playing', () => this.emitter.emit('playing'));
    this.listen('seeked', () => this.emitter.emit('seeked'));
    this.listen('ended', () => this.emitter.emit('ended'));
  }

  currentTime(): number {
    return this.video.currentTime * 1000;
  }

  paused(): boolean {
    return this.video.paused;
  }

  play(): Promise<void> {
    // Old engines return undefined rather than a promise.
    return this.video.play() ?? Promise.resolve();
  }

  pause(): void {
    this.video.pause();
  }

  seek(ms: number): void {
    this.video.currentTime = Math.max(0, ms) / 1000;
  }

  setRate(rate: number): void {
    this.video.playbackRate = Math.min(this.maxRate, Math.max(this.minRate, rate));
  }

  rate(): number {
    return this.video.playbackRate;
  }

  bufferedAheadMs(): number | null {
    const { buffered, currentTime, readyState } = this.video;
    if (readyState === 0) return null;
    for (let i = 0; i < buffered.length; i++) {
      const start = buffered.start(i);
      const end = buffered.end(i);
      if (currentTime >= start - RANGE_SLACK_S && currentTime <= end) return Math.max(0, end - currentTime) * 1000;
    }
    return 0;
  }

  bufferedAt(ms: number): boolean {
    const { buffered, readyState } = this.video;
    if (readyState === 0) return false;
    const t = ms / 1000;
    for (let i = 0; i < buffered.length; i++) {
      // A little margin after the point: the decoder needs the frames just after it too.
      if (t >= buffered.start(i) && t + RANGE_SLACK_S <= buffered.end(i)) return true;
    }
    return false;
  }

  duration(): number | null {
    const d = this.video.duration;
    if (Number.isNaN(d)) return null;
    return d === Number.POSITIVE_INFINITY ? d : d * 1000;
  }

  setVolume(volume: number): void {
    this.video.volume = Math.min(1, Math.max(0, volume));
  }

  setMuted(muted: boolean): void {
    this.video.muted = muted;
  }

  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void {
    return this.emitter.on(event, handler);
  }

  dispose(): void {
    for (const [type, listener] of this.listeners) this.video.removeEventListener(type, listener);
    this.listeners.length = 0;
  }

  private listen(type: string, listener: EventListener): void {
    this.video.addEventListener(type, listener);
    this.listeners.push([type, listener]);
  }
}
