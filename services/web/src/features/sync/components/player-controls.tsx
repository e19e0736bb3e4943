import { forwardRef, useEffect, useId, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Film, Lock, Maximize, Minimize, Pause, Play, Volume1, Volume2, VolumeX } from 'lucide-react';

import { Spinner } from '@/components/ui/spinner';
import { formatMediaTime, formatRate, PLAYBACK_RATES, spokenMediaTime } from '@/features/sync/player/format';
import { cn } from '@/lib/cn';

export interface PlayerControlsProps {
  canControl: boolean;
  /** Why the playback controls are off, when they are. */
  controlHint: string;
  hasSource: boolean;
  playing: boolean;
  /** A play/pause request is on its way. */
  pending: boolean;
  positionMs: number;
  /** Null while unknown; `Infinity` for a live stream (no seeking). */
  durationMs: number | null;
  rate: number;
  /** Why the speed cannot be changed for this source, or null. */
  rateUnavailable: string | null;
  volume: number;
  muted: boolean;
  fullscreen: boolean;
  onTogglePlay: () => void;
  /** The seek bar is being dragged (null: released without a seek). */
  onSeekPreview: (ms: number | null) => void;
  onSeek: (ms: number) => void;
  onRate: (rate: number) => void;
  onVolume: (volume: number) => void;
  onToggleMute: () => void;
  onToggleFullscreen: () => void;
  /** Shown to members who may control: opens the source picker. */
  onChangeVideo?: () => void;
}

const ControlButton = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { children: ReactNode }>(
  function ControlButton({ className, children, type = 'button', ...rest }, ref) {
    return (
      <button
        ref={ref}
        type={type}
        className={cn(
          'inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-full text-white transition-[background-color,transform] duration-fast ease-standard',
          'hover:bg-white/15 active:scale-95 motion-reduce:transform-none',
          'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80',
          'disabled:cursor-not-allowed disabled:opacity-45 disabled:hover:bg-transparent',
          className,
        )}
        {...rest}
      >
        {children}
      </button>
    );
  },
);

/**
 * The stage's controls on a dark glass bar: play/pause, seek bar, time, speed, volume, video
 * change and fullscreen. Playback controls act for the whole room and are off (with the reason
 * shown) for members who may not control; volume and fullscreen are this viewer's own.
 */
export function PlayerControls(props: PlayerControlsProps) {
  const {
    canControl,
    controlHint,
    hasSource,
    playing,
    pending,
    positionMs,
    durationMs,
    rate,
    rateUnavailable,
    volume,
    muted,
    fullscreen,
    onTogglePlay,
    onSeekPreview,
    onSeek,
    onRate,
    onVolume,
    onToggleMute,
    onToggleFullscreen,
    onChangeVideo,
  } = props;
  const hintId = useId();
  const seekRef = useRef<HTMLInputElement>(null);
  const seekable = durationMs !== null && Number.isFinite(durationMs) && durationMs > 0;
  const live = durationMs === Number.POSITIVE_INFINITY;
  const playbackDisabled = !canControl || !hasSource;
  const describedBy = canControl ? undefined : hintId;
  const lockedTitle = canControl ? undefined : controlHint;
  const VolumeIcon = muted || volume === 0 ? VolumeX : volume < 0.5 ? Volume1 : Volume2;

  // Seek on release: a range fires `input` while dragged (the preview) and `change` once let go.
  const commit = useRef(onSeek);
  useEffect(() => {
    commit.current = onSeek;
  }, [onSeek]);
  useEffect(() => {
    const input = seekRef.current;
    if (input === null) return undefined;
    const onChange = (): void => commit.current(Number(input.value));
    input.addEventListener('change', onChange);
    return () => input.removeEventListener('change', onChange);
  }, []);

  const maxMs = seekable ? durationMs : Math.max(positionMs, 0);
  const shownPosition = Math.min(Math.max(0, positionMs), maxMs);

  return (
    <div className="flex flex-col gap-1 rounded-2xl border border-white/15 bg-black/40 px-2 pb-1.5 pt-2 text-white shadow-lg backdrop-blur-xl sm:px-3">
      <input
        ref={seekRef}
        type="range"
        aria-label="Seek"
        data-testid="seek-bar"
        min={0}
        max={Math.round(maxMs)}
        step={1000}
        value={Math.round(shownPosition)}
        aria-valuetext={`${spokenMediaTime(shownPosition)}${seekable ? ` of ${spokenMediaTime(durationMs)}` : ''}`}
        disabled={playbackDisabled || !seekable}
        title={lockedTitle}
        aria-describedby={describedBy}
        className="h-5 w-full cursor-pointer accent-[rgb(var(--sw-color-accent))] disabled:cursor-not-allowed disabled:opacity-60"
        onChange={(event) => onSeekPreview(Number(event.target.value))}
        onBlur={() => onSeekPreview(null)}
      />
      <div className="flex items-center gap-1 sm:gap-2">
        <ControlButton
          data-testid="play-pause"
          aria-label={playing ? 'Pause' : 'Play'}
          title={lockedTitle ?? (playing ? 'Pause (k)' : 'Play (k)')}
          aria-describedby={describedBy}
          disabled={playbackDisabled}
          aria-busy={pending || undefined}
          onClick={onTogglePlay}
        >
          {pending ? (
            <Spinner size="sm" />
          ) : playing ? (
            <Pause aria-hidden="true" className="h-5 w-5" fill="currentColor" />
          ) : (
            <Play aria-hidden="true" className="h-5 w-5" fill="currentColor" />
          )}
        </ControlButton>

        <p className="min-w-0 shrink-0 px-1 text-xs tabular-nums text-white/85 sm:text-sm" data-testid="time-display">
          <span>{formatMediaTime(shownPosition)}</span>
          <span className="text-white/50"> / </span>
          <span>{live ? 'Live' : seekable ? formatMediaTime(durationMs) : '–:––'}</span>
        </p>

        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          {/* Read with every locked control (aria-describedby reads it even where it is not shown). */}
          {!canControl && (
            <p id={hintId} className="hidden items-center gap-1.5 text-xs text-white/70 md:flex" data-testid="control-hint">
              <Lock aria-hidden="true" className="h-3.5 w-3.5" />
              {controlHint}
            </p>
          )}

          <label className="sr-only" htmlFor={`${hintId}-rate`}>
            Playback speed
          </label>
          <select
            id={`${hintId}-rate`}
            data-testid="playback-rate"
            value={String(rate)}
            disabled={playbackDisabled || rateUnavailable !== null}
            title={lockedTitle ?? rateUnavailable ?? 'Playback speed'}
            aria-describedby={describedBy}
            className={cn(
              'h-8 cursor-pointer appearance-none rounded-full border border-white/20 bg-white/10 px-3 text-xs font-semibold tabular-nums text-white',
              'hover:bg-white/20 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80',
              'disabled:cursor-not-allowed disabled:opacity-45 [&>option]:text-black',
            )}
            onChange={(event) => onRate(Number(event.target.value))}
          >
            {(PLAYBACK_RATES.includes(rate) ? PLAYBACK_RATES : [...PLAYBACK_RATES, rate].sort((a, b) => a - b)).map((r) => (
              <option key={r} value={String(r)}>
                {r === 1 ? 'Normal' : formatRate(r)}
              </option>
            ))}
          </select>

          <div className="group/volume flex items-center">
            <ControlButton
              data-testid="mute"
              aria-label={muted ? 'Unmute' : 'Mute'}
              aria-pressed={muted}
              title={muted ? 'Unmute (m)' : 'Mute (m)'}
              onClick={onToggleMute}
            >
              <VolumeIcon aria-hidden="true" className="h-5 w-5" />
            </ControlButton>
            <input
              type="range"
              aria-label="Volume"
              data-testid="volume"
              min={0}
              max={1}
              step={0.05}
              value={muted ? 0 : volume}
              aria-valuetext={muted ? 'Muted' : `${Math.round(volume * 100)}%`}
              className="hidden h-5 w-20 cursor-pointer accent-white sm:block"
              onChange={(event) => onVolume(Number(event.target.value))}
            />
          </div>

          {onChangeVideo !== undefined && (
            <ControlButton data-testid="change-video" aria-label="Change video" title="Change video" onClick={onChangeVideo}>
              <Film aria-hidden="true" className="h-5 w-5" />
            </ControlButton>
          )}

          <ControlButton
            data-testid="fullscreen"
            aria-label={fullscreen ? 'Exit full screen' : 'Full screen'}
            aria-pressed={fullscreen}
            title={fullscreen ? 'Exit full screen (f)' : 'Full screen (f)'}
            onClick={onToggleFullscreen}
          >
            {fullscreen ? <Minimize aria-hidden="true" className="h-5 w-5" /> : <Maximize aria-hidden="true" className="h-5 w-5" />}
          </ControlButton>
        </div>
      </div>
    </div>
  );
}
