import { DailymotionAdapter } from './dailymotion-adapter';
import type { PlayerSource } from './sources';
import type { PlayerErrorHandler, StagePlayer } from './stage-player';
import { VimeoAdapter } from './vimeo-adapter';
import { YouTubeAdapter } from './youtube-adapter';

export type IframePlayerSource = Extract<PlayerSource, { provider: 'youtube' | 'vimeo' | 'dailymotion' }>;

/**
 * The provider's own player for `source`, inside `container` (which the adapter fills with its
 * iframe). Resolves once the player takes commands; a failure is reported through `onError` too.
 */
export async function createIframePlayer(
  source: IframePlayerSource,
  container: HTMLElement,
  onError: PlayerErrorHandler,
): Promise<StagePlayer> {
  try {
    switch (source.provider) {
      case 'youtube':
        return await YouTubeAdapter.create(container, source.videoId, { onError });
      case 'vimeo':
        return await VimeoAdapter.create(container, source.url, { onError });
      case 'dailymotion':
        return await DailymotionAdapter.create(container, source.videoId, { onError });
    }
  } catch (error) {
    onError(error instanceof Error && error.message !== '' ? error.message : 'The video player could not be loaded.');
    throw error;
  }
}
