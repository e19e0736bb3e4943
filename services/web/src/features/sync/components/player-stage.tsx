import { useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Film } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { GlassPanel } from '@/components/ui/glass-panel';
import { MediaSurface } from '@/features/sync/components/media-surface';
import { PlayerControls } from '@/features/sync/components/player-controls';
import { SourcePicker } from '@/features/sync/components/source-picker';
import {
  BufferingSpinner,
  EmptyStage,
  JoinPlaybackOverlay,
  PlayerError,
  StageCard,
  StageChip,
} from '@/features/sync/components/stage-overlays';
import { SyncHealthChip } from '@/features/sync/components/sync-health-chip';
import type { LiveRoom } from '@/features/sync/live/live-room';
import { commandErrorMessage, sendPlaybackCommand, type PlaybackCommand } from '@/features/sync/player/commands';
import { bufferingSentence, controlHint, formatMediaTime, formatRate } from '@/features/sync/player/format';
import { precisionNotice } from '@/features/sync/player/precision';
import { resolvePlayback } from '@/features/sync/player/sources';
import type { StagePlayer } from '@/features/sync/player/stage-player';
import { usePlayerShortcuts, type ShortcutAction } from '@/features/sync/player/use-player-shortcuts';
import { useStoredVolume } from '@/features/sync/player/use-stored-volume';
import { cn } from '@/lib/cn';
import type { BufferingNotice } from '@/lib/protocol/v1.gen';

/** How often the time display and seek bar follow the media (ms). */
const POSITION_REFRESH_MS = 250;
/** Controls fade out after this long without the pointer moving, while playing (ms). */
const CONTROLS_IDLE_MS = 3000;
/** A seek's preview is held at most this long waiting for the room to reach it (ms). */
const SEEK_HOLD_MS = 3000;
const ERROR_SHOWN_MS = 6000;

export const UNPLAYABLE_SOURCE = 'This video cannot be played in this browser.';

export interface PlayerStageProps {
  live: LiveRoom;
  /** Whether this member may control playback (`room:state`'s `canControl`). */
  canControl: boolean;
  className?: string;
  /**
   * Drawn over the video, inside the element that goes full screen (the only part of the page
   * shown then): e.g. the chat overlay. Told whether the stage is full screen now.
   */
  overlay?: (props: { fullscreen: boolean }) => ReactNode;
}

interface SurfaceStatus {
  key: string;
  ready: boolean;
  error: string | null;
}

/** Where a seek is shown until the room's state reaches it. */
interface SeekHold {
  ms: number;
  /** The sequence of the seek's command, once acknowledged. */
  sequence: number | null;
}

/**
 * The room's video: the right player for the source in play, kept in step by the sync engine,
 * with glass controls that act for the whole room (play/pause, seek, speed, the video itself) and
 * for this viewer alone (volume, fullscreen), keyboard shortcuts, and what this viewer needs to
 * know: a "Join playback" tap when the browser blocks autoplay, who is buffering, how precise sync
 * can be for this source, and their own sync health.
 */
export function PlayerStage({ live, canControl, className, overlay }: PlayerStageProps) {
  const { engine } = live;
  const snap = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const subscribeLive = useCallback((listener: () => void) => live.subscribe(listener), [live]);
  const getLiveSnapshot = useCallback(() => live.getSnapshot(), [live]);
  const liveSnap = useSyncExternalStore(subscribeLive, getLiveSnapshot);

  const titleId = useId();
  const stageRef = useRef<HTMLDivElement>(null);
  const playback = snap.playback;
  const sourceType = playback?.sourceType ?? null;
  const sourceId = playback?.sourceId ?? null;
  const key = `${sourceType ?? 'none'}:${sourceId ?? ''}`;
  const source = useMemo(() => resolvePlayback({ sourceType, sourceId }), [sourceType, sourceId]);
  const chosen = sourceType !== null && sourceId !== null && sourceId !== '';

  const [player, setPlayer] = useState<StagePlayer | null>(null);
  const [status, setStatus] = useState<SurfaceStatus>({ key, ready: false, error: null });
  const ready = status.key === key && status.ready;
  const surfaceError = status.key === key ? status.error : null;
  const onReady = useCallback(() => setStatus((s) => ({ key, ready: true, error: s.key === key ? s.error : null })), [key]);
  const onError = useCallback((message: string) => setStatus({ key, ready: false, error: message }), [key]);

  const { volume, muted, setVolume, setMuted } = useStoredVolume();
  useEffect(() => {
    if (player === null) return;
    player.setVolume(volume);
    player.setMuted(muted);
  }, [player, volume, muted]);

  // ---- time ----------------------------------------------------------------------------------

  const [, setTick] = useState(0);
  useEffect(() => {
    if (source === null) return undefined;
    const timer = window.setInterval(() => setTick((t) => t + 1), POSITION_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [source]);

  const [preview, setPreview] = useState<number | null>(null);
  const [seekHold, setSeekHold] = useState<SeekHold | null>(null);
  const playbackSequence = playback?.sequenceNumber ?? null;
  useEffect(() => {
    if (seekHold === null) return undefined;
    if (seekHold.sequence !== null && playbackSequence !== null && playbackSequence >= seekHold.sequence) {
      setSeekHold(null);
      return undefined;
    }
    const timer = window.setTimeout(() => setSeekHold(null), SEEK_HOLD_MS);
    return () => window.clearTimeout(timer);
  }, [seekHold, playbackSequence]);

  /** Where the room is: from the engine once the clock is synced, else the player. */
  const roomPosition = (): number => {
    const room = engine.roomPosition();
    if (room !== null) return room;
    if (player !== null) return player.currentTime();
    return playback?.anchorMediaTime ?? 0;
  };
  const durationMs = player?.duration() ?? null;
  const positionMs = preview ?? seekHold?.ms ?? roomPosition();

  // ---- announcements and errors ----------------------------------------------------------------

  const [announcement, setAnnouncement] = useState({ text: '', n: 0 });
  const announce = useCallback((text: string) => setAnnouncement((a) => ({ text, n: a.n + 1 })), []);
  const [commandError, setCommandError] = useState<string | null>(null);
  useEffect(() => {
    if (commandError === null) return undefined;
    const timer = window.setTimeout(() => setCommandError(null), ERROR_SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [commandError]);

  const isPlaying = playback?.isPlaying ?? false;
  const previousPlaying = useRef<boolean | null>(null);
  useEffect(() => {
    if (previousPlaying.current !== null && previousPlaying.current !== isPlaying) announce(isPlaying ? 'Playing' : 'Paused');
    previousPlaying.current = isPlaying;
  }, [isPlaying, announce]);

  const hint = controlHint(liveSnap.room);

  // ---- commands ------------------------------------------------------------------------------

  const [pendingToggle, setPendingToggle] = useState(false);
  const send = useCallback(
    async <K extends PlaybackCommand>(type: K, data: Parameters<typeof sendPlaybackCommand<K>>[2]) => {
      setCommandError(null);
      try {
        return await sendPlaybackCommand(live, type, data);
      } catch (error) {
        const message = commandErrorMessage(error);
        setCommandError(message);
        announce(message);
        return null;
      }
    },
    [live, announce],
  );

  const togglePlay = (): void => {
    if (!canControl) {
      announce(hint);
      return;
    }
    if (!chosen || pendingToggle) return;
    setPendingToggle(true);
    void send(isPlaying ? 'sync:pause' : 'sync:play', {}).finally(() => setPendingToggle(false));
  };

  const seekTo = (ms: number): void => {
    setPreview(null);
    if (!canControl) {
      announce(hint);
      return;
    }
    if (!chosen) return;
    const end = durationMs !== null && Number.isFinite(durationMs) ? durationMs : Number.POSITIVE_INFINITY;
    const target = Math.round(Math.min(Math.max(0, ms), end));
    setSeekHold({ ms: target, sequence: null });
    void send('sync:seek', { targetMediaTime: target }).then((ack) => {
      if (ack === null) setSeekHold(null);
      else setSeekHold((hold) => (hold !== null && hold.ms === target ? { ms: target, sequence: ack.sequenceNumber } : hold));
    });
  };

  const setRate = (rate: number): void => {
    if (!canControl) return;
    void send('sync:rate', { rate }).then((ack) => {
      if (ack !== null) announce(`Speed ${formatRate(rate)}`);
    });
  };

  // ---- fullscreen and local controls -----------------------------------------------------------

  const [fullscreen, setFullscreen] = useState(false);
  useEffect(() => {
    const onChange = (): void => setFullscreen(document.fullscreenElement === stageRef.current && stageRef.current !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const toggleFullscreen = (): void => {
    const stage = stageRef.current;
    if (stage === null) return;
    if (document.fullscreenElement) {
      void document.exitFullscreen().catch(() => undefined);
      return;
    }
    if (typeof stage.requestFullscreen !== 'function') {
      announce('Full screen is not available in this browser');
      return;
    }
    stage.requestFullscreen().catch(() => announce('Full screen is not available here'));
  };

  const toggleMute = (): void => {
    const next = !muted;
    setMuted(next);
    announce(next ? 'Muted' : 'Unmuted');
  };

  const [pickerOpen, setPickerOpen] = useState(false);
  const pickerInputRef = useRef<HTMLInputElement>(null);
  const openPicker = (): void => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    setPickerOpen(true);
  };

  // ---- keyboard ------------------------------------------------------------------------------

  const onShortcut = (action: ShortcutAction): void => {
    switch (action.kind) {
      case 'toggle-play':
        togglePlay();
        break;
      case 'seek-by': {
        if (!canControl) {
          announce(hint);
          break;
        }
        const target = Math.max(0, positionMs + action.deltaMs);
        announce(`${action.deltaMs < 0 ? 'Back' : 'Forward'} ${Math.abs(action.deltaMs) / 1000} seconds, ${formatMediaTime(target)}`);
        seekTo(target);
        break;
      }
      case 'fullscreen':
        toggleFullscreen();
        break;
      case 'mute':
        toggleMute();
        break;
    }
  };
  // With nothing chosen there is nothing to play, and Space should scroll the page as usual.
  usePlayerShortcuts(stageRef, onShortcut, chosen);

  // ---- controls visibility -------------------------------------------------------------------

  const [idle, setIdle] = useState(false);
  const idleTimer = useRef<number | undefined>(undefined);
  const wake = (): void => {
    setIdle(false);
    window.clearTimeout(idleTimer.current);
    idleTimer.current = window.setTimeout(() => setIdle(true), CONTROLS_IDLE_MS);
  };
  useEffect(() => () => window.clearTimeout(idleTimer.current), []);
  const controlsHidden = idle && isPlaying && ready && !snap.autoplayBlocked;

  // ---- what to show --------------------------------------------------------------------------

  const error = chosen && source === null ? UNPLAYABLE_SOURCE : surfaceError;
  const spinnerLabel =
    source === null || error !== null || snap.autoplayBlocked
      ? null
      : !ready
        ? 'Loading video…'
        : snap.buffering && snap.bufferingReason !== 'ad'
          ? 'Buffering…'
          : null;
  const others = othersBuffering(liveSnap.buffering, liveSnap.room?.you ?? null);
  const notice = source !== null && error === null ? precisionNotice(source.provider, player) : null;

  return (
    <GlassPanel as="section" aria-labelledby={titleId} className={className} data-testid="player-stage">
      <h2 id={titleId} className="sr-only">
        Video player
      </h2>
      <div
        ref={stageRef}
        tabIndex={-1}
        data-testid="player-surface"
        className={cn(
          // Empty, the stage holds the source picker: at least tall enough for it on a phone. (Not
          // `aspect-video` here: a min-height on it would widen the box by the same ratio.)
          !chosen && 'min-h-[24rem]',
          'group/stage relative m-2 overflow-hidden rounded-lg bg-[radial-gradient(ellipse_at_top,rgb(var(--sw-color-accent)/0.18),transparent_60%),linear-gradient(180deg,rgb(10_11_24/0.88),rgb(10_11_24/0.96))] focus:outline-none sm:m-3',
          '[&:fullscreen]:m-0 [&:fullscreen]:rounded-none [&:fullscreen]:bg-black',
          controlsHidden && 'cursor-none',
        )}
        onPointerMove={wake}
        onPointerDown={wake}
        onFocus={wake}
      >
        <div aria-hidden="true" className="aspect-video w-full" />
        {source !== null && (
          <MediaSurface key={key} source={source} engine={engine} onPlayer={setPlayer} onReady={onReady} onError={onError} />
        )}

        {!chosen && (
          <EmptyStage titleId={`${titleId}-empty`}>
            {canControl ? (
              <StageCard>
                <SourcePicker live={live} />
              </StageCard>
            ) : (
              <p className="mt-1.5 max-w-sm text-pretty text-sm text-white/70">
                When someone who controls playback picks a video, it plays here for everyone at the same moment.
              </p>
            )}
          </EmptyStage>
        )}

        {error !== null && (
          <PlayerError
            message={error}
            action={
              canControl ? (
                <Button variant="secondary" size="sm" icon={<Film aria-hidden="true" className="h-4 w-4" />} onClick={openPicker}>
                  Choose another video
                </Button>
              ) : undefined
            }
          />
        )}

        <BufferingSpinner label={spinnerLabel} />
        <JoinPlaybackOverlay show={snap.autoplayBlocked} onJoin={() => void engine.userGesturePlay()} />

        <div className="pointer-events-none absolute inset-x-2 top-2 z-10 flex items-start justify-between gap-2 sm:inset-x-3 sm:top-3">
          <SyncHealthChip snapshot={snap} />
          <div className="flex min-w-0 flex-col items-end gap-1.5">
            {others !== null && (
              <StageChip icon="wait" data-testid="stage-buffering" role="status">
                {others}
              </StageChip>
            )}
            {notice !== null && (
              <StageChip icon="info" tone="warning" data-testid="sync-precision-notice">
                {notice}
              </StageChip>
            )}
          </div>
        </div>

        {commandError !== null && (
          <p
            role="alert"
            data-testid="player-command-error"
            className="absolute inset-x-0 bottom-28 z-20 mx-auto w-fit max-w-[90%] rounded-full bg-danger/90 px-4 py-1.5 text-center text-sm font-medium text-white shadow-lg"
          >
            {commandError}
          </p>
        )}

        {chosen && (
          <div
            className={cn(
              'absolute inset-x-2 bottom-2 z-10 transition-opacity duration-slow ease-standard sm:inset-x-3 sm:bottom-3',
              controlsHidden && 'opacity-0 focus-within:opacity-100',
            )}
          >
            <PlayerControls
              canControl={canControl}
              controlHint={hint}
              hasSource={source !== null}
              playing={isPlaying}
              pending={pendingToggle}
              positionMs={positionMs}
              durationMs={durationMs}
              rate={playback?.playbackRate ?? 1}
              rateUnavailable={source?.provider === 'dailymotion' ? 'Dailymotion’s player has no speed control' : null}
              volume={volume}
              muted={muted}
              fullscreen={fullscreen}
              onTogglePlay={togglePlay}
              onSeekPreview={setPreview}
              onSeek={seekTo}
              onRate={setRate}
              onVolume={(value) => {
                setVolume(value);
                if (value > 0 && muted) setMuted(false);
              }}
              onToggleMute={toggleMute}
              onToggleFullscreen={toggleFullscreen}
              onChangeVideo={canControl ? openPicker : undefined}
            />
          </div>
        )}

        {overlay?.({ fullscreen })}

        {/* A no-break space every other time, so a repeated message is announced again. */}
        <p className="sr-only" aria-live="polite" data-testid="player-announcer">
          {announcement.text}
          {announcement.n % 2 === 1 ? '\u00a0' : ''}
        </p>
      </div>

      <Dialog
        open={pickerOpen}
        onClose={() => setPickerOpen(false)}
        title="Change video"
        initialFocusRef={pickerInputRef}
        description="Everyone in the room switches to the new video."
      >
        <SourcePicker live={live} inputRef={pickerInputRef} onDone={() => setPickerOpen(false)} />
      </Dialog>
    </GlassPanel>
  );
}

/** The others the room is waiting for ("Alex is buffering…"); this viewer has their own spinner. */
function othersBuffering(notice: BufferingNotice | null, you: string | null): string | null {
  if (notice === null) return null;
  const names = notice.names.filter((_, i) => notice.waitingFor[i] !== you);
  return bufferingSentence(names);
}
