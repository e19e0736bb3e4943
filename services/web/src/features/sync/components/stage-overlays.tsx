import { AnimatePresence, motion } from 'framer-motion';
import { CircleAlert, Clapperboard, Hourglass, Info, Play } from 'lucide-react';
import type { ReactNode } from 'react';

import { GlassPanel } from '@/components/ui/glass-panel';
import { Spinner } from '@/components/ui/spinner';
import { duration, ease } from '@/components/ui/motion';

const fade = {
  initial: { opacity: 0 },
  animate: { opacity: 1 },
  exit: { opacity: 0 },
  transition: { duration: duration.base, ease: ease.standard },
};

/** Nothing chosen yet: for controllers, the source picker; for others, what will happen. */
export function EmptyStage({ titleId, children }: { titleId: string; children: ReactNode }) {
  return (
    <div className="absolute inset-0 flex flex-col items-center justify-center overflow-y-auto px-4 py-6 text-center">
      <span className="inline-flex h-12 w-12 shrink-0 items-center justify-center rounded-full bg-white/10 text-white/80 ring-1 ring-inset ring-white/15">
        <Clapperboard aria-hidden="true" className="h-6 w-6" />
      </span>
      <h2 id={titleId} className="mt-3 text-lg font-semibold text-white sm:text-xl">
        Nothing is playing yet
      </h2>
      {children}
    </div>
  );
}

/** A glass card on the dark stage, for the source picker. */
export function StageCard({ children }: { children: ReactNode }) {
  return (
    <GlassPanel intensity="strong" className="mt-4 w-full max-w-md rounded-2xl p-4 text-fg sm:p-5">
      {children}
    </GlassPanel>
  );
}

/** "Join playback": the browser wants a tap before it plays sound. */
export function JoinPlaybackOverlay({ show, onJoin }: { show: boolean; onJoin: () => void }) {
  return (
    <AnimatePresence>
      {show && (
        <motion.div key="join" {...fade} className="absolute inset-0 z-20 flex items-center justify-center bg-black/55 backdrop-blur-sm">
          <button
            type="button"
            data-testid="join-playback"
            onClick={onJoin}
            className="group flex flex-col items-center gap-3 rounded-2xl px-6 py-5 text-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80"
          >
            <span className="inline-flex h-16 w-16 items-center justify-center rounded-full bg-accent text-accent-fg shadow-accent transition-transform duration-base ease-emphasized group-hover:scale-105 motion-reduce:transform-none">
              <Play aria-hidden="true" className="ml-1 h-7 w-7" fill="currentColor" />
            </span>
            <span className="text-lg font-semibold">Join playback</span>
            <span className="max-w-xs text-sm text-white/75">Your browser needs a tap before it plays the video with sound.</span>
          </button>
        </motion.div>
      )}
    </AnimatePresence>
  );
}

/** This viewer's own loading or buffering. */
export function BufferingSpinner({ label }: { label: string | null }) {
  return (
    <AnimatePresence>
      {label !== null && (
        <motion.div
          key="spinner"
          {...fade}
          className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center"
          data-testid="player-buffering"
        >
          <span className="inline-flex items-center gap-2 rounded-full bg-black/55 px-4 py-2 text-sm text-white backdrop-blur-md">
            <Spinner size="md" label={label} />
            <span aria-hidden="true">{label}</span>
          </span>
        </motion.div>
      )}
    </AnimatePresence>
  );
}

/** The player could not play the source. */
export function PlayerError({ message, action }: { message: string; action?: ReactNode }) {
  return (
    <div
      role="alert"
      data-testid="player-error"
      className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-3 bg-black/70 px-6 text-center text-white"
    >
      <CircleAlert aria-hidden="true" className="h-8 w-8 text-danger" />
      <p className="max-w-md text-pretty text-sm sm:text-base">{message}</p>
      {action}
    </div>
  );
}

/** Small dark chips at the top of the stage (others buffering, sync precision). */
export function StageChip({
  icon,
  tone = 'neutral',
  children,
  ...rest
}: {
  icon: 'info' | 'wait';
  tone?: 'neutral' | 'warning';
  children: ReactNode;
  'data-testid'?: string;
  role?: string;
}) {
  const Icon = icon === 'info' ? Info : Hourglass;
  return (
    <p
      className={
        'pointer-events-auto inline-flex max-w-full items-start gap-1.5 rounded-2xl border px-2.5 py-1 text-xs font-medium backdrop-blur-md ' +
        (tone === 'warning' ? 'border-warning/40 bg-black/55 text-amber-200' : 'border-white/15 bg-black/45 text-white/90')
      }
      {...rest}
    >
      <Icon aria-hidden="true" className="mt-px h-3.5 w-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}
