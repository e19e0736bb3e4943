import { Activity } from 'lucide-react';

import type { SyncEngineSnapshot } from '@/features/sync/engine/engine';
import { describeSyncHealth, type SyncTone } from '@/features/sync/player/sync-health';
import { cn } from '@/lib/cn';

const tones: Record<SyncTone, string> = {
  good: 'bg-success',
  fair: 'bg-warning',
  poor: 'bg-danger',
  idle: 'bg-white/50',
};

/** This viewer's sync, small, in a corner of the stage. */
export function SyncHealthChip({ snapshot, className }: { snapshot: SyncEngineSnapshot; className?: string }) {
  const health = describeSyncHealth(snapshot);
  const offset = snapshot.clockOffsetMs === null ? 'not measured yet' : `${Math.round(snapshot.clockOffsetMs)} ms`;
  return (
    <div
      data-testid="my-sync-health"
      data-tone={health.tone}
      title={`Your sync. Clock offset to the server: ${offset}. Drift is how far your video is from the room’s position.`}
      className={cn(
        'pointer-events-auto inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap rounded-full border border-white/15 bg-black/45 px-2.5 py-1 text-xs font-medium text-white/90 backdrop-blur-md',
        className,
      )}
    >
      <Activity aria-hidden="true" className="h-3.5 w-3.5 opacity-80" />
      <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', tones[health.tone])} />
      <span>{health.label}</span>
      {health.detail !== null && <span className="hidden tabular-nums text-white/65 xs:inline">{health.detail}</span>}
    </div>
  );
}
