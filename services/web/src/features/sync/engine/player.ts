/**
 * What the sync engine needs from a player. Every source (HTML `<video>`, HLS through hls.js,
 * YouTube, Vimeo, Dailymotion) implements this once; the engine never touches a DOM element or an
 * iframe API itself.
 *
 * Times are media ms. Adapters report the position as precisely as the source allows: an HTML
 * video's `currentTime × 1000`; for iframe players (whose position arrives by `postMessage` every
 * few hundred ms) the last reported position extrapolated by the local clock and the rate.
 */

/**
 * How finely the rate can be set. `continuous`: any rate in a range, applied at once and without
 * audible artefacts for small changes (HTML video with `preservesPitch`). `coarse`: only the listed
 * discrete rates (YouTube), so the engine uses whole rate steps as timed pulses for large errors and
 * seeks for the rest, never small nudges.
 */
export type RateControl = 'continuous' | 'coarse';

/** The rates YouTube's IFrame API accepts (`getAvailablePlaybackRates()` on most videos). */
export const YOUTUBE_RATES: readonly number[] = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

/** Why a player cannot play for a while on its own account (not because the room paused). */
export type InterruptionReason = 'ad';

/** Events an adapter emits. */
export interface PlayerEvents {
  /** Playback stopped for lack of data (`waiting`). */
  waiting: undefined;
  /** Data stopped arriving (`stalled`); treated like `waiting`. */
  stalled: undefined;
  /** Media is advancing again (after `waiting`, a seek or `play()`). */
  playing: undefined;
  /** A seek completed (the new position is showing or about to). */
  seeked: undefined;
  /** The media reached its end. */
  ended: undefined;
  /** An interruption (an ad) began (`active: true`) or ended (`active: false`). */
  interrupted: { active: boolean; reason: InterruptionReason };
}

export type PlayerEventName = keyof PlayerEvents;

export interface PlayerAdapter {
  /** See {@link RateControl}. */
  readonly rateControl: RateControl;
  /** For `coarse` players, the rates it accepts, ascending. Ignored for `continuous`. */
  readonly allowedRates?: readonly number[];
  /** For `continuous` players, the rate range it accepts (defaults 0.0625 … 16, the HTML range). */
  readonly minRate?: number;
  readonly maxRate?: number;
  /**
   * For `continuous` players: how far (ms) the media is expected to fall back when the rate is
   * changed away from 1 and back (Chromium with an audio track: ~16 ms). Only a prior: the
   * controller learns the real figure from every correction it makes. Default 0.
   */
  readonly rateChangeLagMs?: number;
  /**
   * How long after `play()` the media starts advancing on this platform (ms; Chromium with an
   * audio track: ~65–87 ms). Only a prior: the controller measures every start. Default unknown.
   */
  readonly playLatencyMs?: number;

  /** Current media position (ms). */
  currentTime(): number;
  /** Whether the player is paused (by us, or never started). Not true while merely buffering. */
  paused(): boolean;
  /**
   * Start playback. Rejects with a `DOMException` named `NotAllowedError` when the browser blocks
   * autoplay (no user gesture yet); other rejections (e.g. `AbortError`: a pause interrupted it) are
   * not errors for the engine.
   */
  play(): Promise<void>;
  pause(): void;
  /** Seek to `ms`; completion is reported by a `seeked` event. */
  seek(ms: number): void;
  /** Set the playback rate (for `coarse` players, one of `allowedRates`). */
  setRate(rate: number): void;
  /** The rate in effect. */
  rate(): number;
  /** How much media is buffered ahead of the current position (ms), or null if unknown. */
  bufferedAheadMs(): number | null;
  /**
   * Whether the media at `ms` is buffered, so a seek there needs no fetch (optional: players that
   * cannot tell leave it out, and every seek is estimated as one that may have to fetch).
   */
  bufferedAt?(ms: number): boolean;
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void;
}

/** Whether a `play()` rejection means "autoplay blocked, a user gesture is needed". */
export function isAutoplayBlocked(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError'
  );
}

/**
 * The allowed rate nearest to `rate` on the requested side of `base`: the smallest allowed rate above
 * `base` when `faster`, the largest below it otherwise; null if there is none on that side.
 */
export function rateStep(allowed: readonly number[], base: number, faster: boolean): number | null {
  const eps = 1e-9;
  if (faster) {
    const above = allowed.filter((r) => r > base + eps);
    return above.length > 0 ? Math.min(...above) : null;
  }
  const below = allowed.filter((r) => r < base - eps);
  return below.length > 0 ? Math.max(...below) : null;
}

/** The allowed rate closest to `rate` (ties go to the lower). */
export function nearestRate(allowed: readonly number[], rate: number): number {
  let best = allowed[0] ?? rate;
  for (const r of allowed) if (Math.abs(r - rate) < Math.abs(best - rate)) best = r;
  return best;
}

/** A tiny typed event emitter adapters can use. */
export class PlayerEventEmitter {
  private handlers = new Map<PlayerEventName, Set<(payload: never) => void>>();

  on<E extends PlayerEventName>(event: E, handler: (payload: PlayerEvents[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  emit<E extends PlayerEventName>(event: E, ...payload: PlayerEvents[E] extends undefined ? [] : [PlayerEvents[E]]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) (handler as (p: PlayerEvents[E] | undefined) => void)(payload[0]);
  }
}
