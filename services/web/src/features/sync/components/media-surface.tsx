import { useEffect, useRef, useState } from 'react';

import type { SyncEngine } from '@/features/sync/engine/engine';
import { createIframePlayer } from '@/features/sync/player/create-player';
import { HtmlVideoAdapter } from '@/features/sync/player/html-video-adapter';
import { playsInVideoElement, type PlayerSource } from '@/features/sync/player/sources';
import type { StagePlayer } from '@/features/sync/player/stage-player';
import { attachVideoSource } from '@/features/sync/player/video-source';

export interface MediaSurfaceProps {
  source: PlayerSource;
  engine: SyncEngine;
  /** The player, once it takes commands (null again when it goes). */
  onPlayer: (player: StagePlayer | null) => void;
  /** The first frame (or the iframe player) is ready. */
  onReady: () => void;
  onError: (message: string) => void;
}

/**
 * One source's player, for as long as the source stays the same (the stage keys this component by
 * the source, so a new source is a new mount). It hands the adapter to the engine, and for a
 * `<video>` reports every presented frame (`requestVideoFrameCallback`) so the engine measures what
 * is actually on screen.
 */
export function MediaSurface({ source, engine, onPlayer, onReady, onError }: MediaSurfaceProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onPlayer, onReady, onError });
  const [interrupted, setInterrupted] = useState(false);

  useEffect(() => {
    callbacks.current = { onPlayer, onReady, onError };
  }, [onPlayer, onReady, onError]);

  useEffect(() => {
    let disposed = false;
    // Set from callbacks: a holder, so the cleanup reads what they stored.
    const held: { player: StagePlayer | null } = { player: null };
    const cleanups: Array<() => void> = [];
    const report = (message: string): void => {
      if (!disposed) callbacks.current.onError(message);
    };
    const attach = (adapter: StagePlayer): void => {
      held.player = adapter;
      cleanups.push(adapter.on('interrupted', ({ active }) => setInterrupted(active)));
      engine.attachPlayer(adapter);
      callbacks.current.onPlayer(adapter);
    };

    if (playsInVideoElement(source)) {
      const video = videoRef.current;
      if (video === null) return undefined;
      const adapter = new HtmlVideoAdapter(video, source.provider);
      const handle = attachVideoSource(video, source, report);
      const ready = (): void => callbacks.current.onReady();
      video.addEventListener('loadeddata', ready, { once: true });
      cleanups.push(() => video.removeEventListener('loadeddata', ready));
      cleanups.push(() => handle.dispose());
      // Attached at once, still loading: the engine then tells the room this viewer is loading.
      attach(adapter);
      if (typeof video.requestVideoFrameCallback === 'function') {
        let frameHandle = 0;
        const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
          engine.onFrame({
            mediaTimeMs: metadata.mediaTime * 1000,
            presentedAt: performance.timeOrigin + metadata.expectedDisplayTime,
          });
          frameHandle = video.requestVideoFrameCallback(onFrame);
        };
        frameHandle = video.requestVideoFrameCallback(onFrame);
        cleanups.push(() => video.cancelVideoFrameCallback(frameHandle));
      }
    } else {
      const container = containerRef.current;
      if (container === null) return undefined;
      createIframePlayer(source, container, report).then(
        (adapter) => {
          if (disposed) {
            adapter.dispose();
            return;
          }
          attach(adapter);
          callbacks.current.onReady();
        },
        () => undefined, // reported through `report`
      );
    }

    return () => {
      disposed = true;
      // The engine lets go first, so tearing the source down is not taken for a stall.
      if (held.player !== null) {
        engine.attachPlayer(null);
        callbacks.current.onPlayer(null);
      }
      for (const cleanup of cleanups.reverse()) cleanup();
      held.player?.dispose();
    };
  }, [source, engine]);

  if (playsInVideoElement(source)) {
    return (
      // Room sources carry no caption tracks yet (uploads get them with the transcoder).
      // eslint-disable-next-line jsx-a11y/media-has-caption
      <video
        ref={videoRef}
        data-testid="player-video"
        className="absolute inset-0 h-full w-full bg-black object-contain"
        playsInline
        preload="auto"
        aria-label="Video"
      />
    );
  }
  return (
    <>
      <div ref={containerRef} data-testid="player-embed" className="absolute inset-0 bg-black [&_iframe]:h-full [&_iframe]:w-full" />
      {/* The provider's own controls would act for this viewer alone and break sync; ours act for
          the room. During an ad the provider's UI (e.g. "Skip ad") is reachable. */}
      {!interrupted && <div aria-hidden="true" className="absolute inset-0" data-testid="embed-shield" />}
    </>
  );
}
