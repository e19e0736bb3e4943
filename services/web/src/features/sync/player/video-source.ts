/**
 * Puts a source into a `<video>`: a direct MP4/WebM URL as its `src`, HLS through hls.js (Media
 * Source Extensions), or natively where the browser plays HLS itself and has no MSE (iPhone Safari).
 * hls.js is loaded only when an HLS source is played.
 */
import type { PlayerSource } from './sources';
import type { PlayerErrorHandler } from './stage-player';

export interface VideoSourceHandle {
  /** Detach the source (stops downloads) and stop reporting errors. */
  dispose(): void;
}

type VideoPlayerSource = Extract<PlayerSource, { provider: 'hls' | 'direct' }>;

const HLS_MIME = 'application/vnd.apple.mpegurl';

/** `MediaError.code` values. */
const MEDIA_ERR_NETWORK = 2;
const MEDIA_ERR_DECODE = 3;
const MEDIA_ERR_SRC_NOT_SUPPORTED = 4;

export const VIDEO_ERRORS = {
  notReady: 'This upload is not ready to play yet, or it was removed.',
  network: 'The video could not be loaded. Check that the link still opens in a browser.',
  format: 'This browser cannot play this video’s format.',
  noHls: 'This browser cannot play HLS streams.',
} as const;

function hasMediaSource(): boolean {
  return 'MediaSource' in window || 'ManagedMediaSource' in window;
}

function mediaErrorMessage(video: HTMLVideoElement, source: VideoPlayerSource): string {
  const code = video.error?.code;
  if (code === MEDIA_ERR_DECODE) return VIDEO_ERRORS.format;
  if (source.provider === 'hls' && source.upload) return VIDEO_ERRORS.notReady;
  if (code === MEDIA_ERR_NETWORK || code === MEDIA_ERR_SRC_NOT_SUPPORTED) return VIDEO_ERRORS.network;
  return VIDEO_ERRORS.format;
}

function clearSource(video: HTMLVideoElement): void {
  // The HTML spec's way to abort the resource fetch: no `src`, then `load()`.
  video.removeAttribute('src');
  video.load();
}

/**
 * Plays `source` in `video`. Failures are reported once through `onError`. A direct link the
 * browser refuses as a format is tried once more as HLS: the server recognises HLS by its content
 * (`#EXTM3U`), so a stream need not end in `.m3u8`.
 */
export function attachVideoSource(
  video: HTMLVideoElement,
  source: VideoPlayerSource,
  onError: PlayerErrorHandler,
): VideoSourceHandle {
  let disposed = false;
  let failed = false;
  let detachHls: (() => void) | null = null;
  let triedHls = false;

  const fail = (message: string): void => {
    if (disposed || failed) return;
    failed = true;
    onError(message);
  };

  const startHls = (url: string, upload: boolean): void => {
    triedHls = true;
    if (hasMediaSource()) {
      void import('hls.js').then(
        ({ default: Hls }) => {
          if (disposed) return;
          if (!Hls.isSupported()) {
            if (video.canPlayType(HLS_MIME) !== '') video.src = url;
            else fail(VIDEO_ERRORS.noHls);
            return;
          }
          const hls = new Hls({ backBufferLength: 30 });
          let mediaRecoveries = 0;
          hls.on(Hls.Events.ERROR, (_event, data) => {
            if (!data.fatal) return;
            if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
              // hls.js's documented recovery: retry, then retry with the audio codec swapped.
              if (mediaRecoveries === 1) hls.swapAudioCodec();
              mediaRecoveries += 1;
              hls.recoverMediaError();
              return;
            }
            if (data.type === Hls.ErrorTypes.NETWORK_ERROR) fail(upload ? VIDEO_ERRORS.notReady : VIDEO_ERRORS.network);
            else fail(VIDEO_ERRORS.format);
          });
          hls.loadSource(url);
          hls.attachMedia(video);
          detachHls = () => hls.destroy();
        },
        () => fail(VIDEO_ERRORS.network),
      );
    } else if (video.canPlayType(HLS_MIME) !== '') {
      video.src = url;
    } else {
      fail(VIDEO_ERRORS.noHls);
    }
  };

  const onMediaError = (): void => {
    if (detachHls !== null) return; // hls.js reports its own errors
    if (source.provider === 'direct' && !triedHls && video.error?.code === MEDIA_ERR_SRC_NOT_SUPPORTED) {
      clearSource(video);
      startHls(source.url, false);
      return;
    }
    fail(mediaErrorMessage(video, source));
  };
  video.addEventListener('error', onMediaError);

  if (source.provider === 'hls') startHls(source.url, source.upload);
  else video.src = source.url;

  return {
    dispose: () => {
      disposed = true;
      video.removeEventListener('error', onMediaError);
      if (detachHls !== null) detachHls();
      detachHls = null;
      clearSource(video);
    },
  };
}
