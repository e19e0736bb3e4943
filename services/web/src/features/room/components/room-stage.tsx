import type { ReactNode } from 'react';
import { Clapperboard } from 'lucide-react';

import { GlassPanel } from '@/components/ui/glass-panel';

export interface RoomStageProps {
  isOwner: boolean;
  className?: string;
  /** The player (from the route, once the room's live session is open). */
  children?: ReactNode;
}

/**
 * Where the video goes: the player when the route gives one; until then the stage says plainly
 * that nothing is playing and offers no controls that would do nothing.
 */
export function RoomStage({ isOwner, className, children }: RoomStageProps) {
  // The player brings its own panel.
  if (children !== undefined && children !== null) {
    return (
      <div className={className} data-testid="room-stage">
        {children}
      </div>
    );
  }
  return (
    <GlassPanel as="section" aria-labelledby="stage-title" className={className} data-testid="room-stage">
      <div className="relative m-2 flex aspect-video flex-col items-center justify-center overflow-hidden rounded-lg bg-[radial-gradient(ellipse_at_top,rgb(var(--sw-color-accent)/0.18),transparent_60%),linear-gradient(180deg,rgb(10_11_24/0.88),rgb(10_11_24/0.96))] px-6 text-center sm:m-3">
        <span className="inline-flex h-14 w-14 items-center justify-center rounded-full bg-white/10 text-white/80 ring-1 ring-inset ring-white/15">
          <Clapperboard aria-hidden="true" className="h-7 w-7" />
        </span>
        <h2 id="stage-title" className="mt-4 text-lg font-semibold text-white sm:text-xl">
          Nothing is playing yet
        </h2>
        <p className="mt-1.5 max-w-sm text-pretty text-sm text-white/70">
          {isOwner
            ? 'Choosing a video comes with the player in the next update. Gather everyone here meanwhile.'
            : 'When the owner starts a video, it plays here for everyone at the same moment.'}
        </p>
      </div>
    </GlassPanel>
  );
}
