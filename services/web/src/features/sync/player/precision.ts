import type { PlayerProvider } from './sources';
import type { StagePlayer } from './stage-player';

/** Spec §4.5.2: what a YouTube source means for sync precision. */
export const YOUTUBE_PRECISION_NOTICE =
  'YouTube allows only coarse speed steps, so sync is kept by tiny seeks; expect within a few frames, not one';
export const DAILYMOTION_PRECISION_NOTICE =
  'Dailymotion’s player has no speed control, so sync is kept by seeks; expect within a fraction of a second, not one frame';
export const VIMEO_PRECISION_NOTICE =
  'This Vimeo video does not allow speed changes, so sync is kept by seeks; expect within a fraction of a second, not one frame';

/**
 * The notice for sources that cannot be held to about one frame, or null. Vimeo is precise until its
 * player refuses a speed change (the owner's account decides), which the adapter shows by turning
 * `coarse`.
 */
export function precisionNotice(provider: PlayerProvider, player: Pick<StagePlayer, 'rateControl'> | null): string | null {
  switch (provider) {
    case 'youtube':
      return YOUTUBE_PRECISION_NOTICE;
    case 'dailymotion':
      return DAILYMOTION_PRECISION_NOTICE;
    case 'vimeo':
      return player?.rateControl === 'coarse' ? VIMEO_PRECISION_NOTICE : null;
    default:
      return null;
  }
}
