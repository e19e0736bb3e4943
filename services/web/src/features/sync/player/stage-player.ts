import type { PlayerAdapter } from '@/features/sync/engine/player';

import type { PlayerProvider } from './sources';

/**
 * A {@link PlayerAdapter} as the stage uses it: what the sync engine needs, plus what the viewer's
 * own controls need (length, volume) and a way to let go of the element or iframe.
 */
export interface StagePlayer extends PlayerAdapter {
  readonly provider: PlayerProvider;
  /** Media length in ms: null while unknown, `Infinity` for a live stream. */
  duration(): number | null;
  /** Local only: volume is never synchronised (0…1). */
  setVolume(volume: number): void;
  setMuted(muted: boolean): void;
  /** Stop listening and release the player (the iframe is removed; a `<video>` is left to React). */
  dispose(): void;
}

/** Called when a source cannot be played at all: the message is for people. */
export type PlayerErrorHandler = (message: string) => void;

/** The local clock adapters extrapolate iframe positions with (ms, monotonic). */
export type NowFn = () => number;

export const performanceNow: NowFn = () => performance.now();

/** A `NotAllowedError`, as `HTMLMediaElement.play()` rejects when autoplay is blocked. */
export function autoplayBlockedError(): DOMException {
  return new DOMException('The browser blocked playback until you interact with the page.', 'NotAllowedError');
}

/**
 * Whether the page has had a user gesture (sticky activation). Unknown (older browsers): true, so
 * nothing is reported blocked on a guess.
 */
export function hasUserActivation(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  return activation === undefined ? true : activation.hasBeenActive;
}

/**
 * Position of an iframe player whose reports arrive every few hundred ms: the last report moved on
 * by the local clock at the playing rate (player.ts). Capped, so a player that stopped reporting
 * without saying so is not extrapolated into the future forever.
 */
export class ReportedPosition {
  private ms = 0;
  private at = 0;

  constructor(
    private readonly now: NowFn,
    private readonly maxExtrapolationMs = 1500,
  ) {}

  /** A position the player reported (ms). */
  report(ms: number): void {
    this.ms = ms;
    this.at = this.now();
  }

  /** The position now: extrapolated while `advancing` at `rate`. */
  read(advancing: boolean, rate: number): number {
    if (!advancing) return this.ms;
    const elapsed = Math.min(this.maxExtrapolationMs, Math.max(0, this.now() - this.at));
    return this.ms + elapsed * rate;
  }

  /** The last reported position, not extrapolated. */
  get last(): number {
    return this.ms;
  }
}
