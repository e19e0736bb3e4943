import { Badge, type BadgeVariant } from '@/components/ui/badge';
import type { LiveConnection, LiveEnd } from '@/features/room/lib/live';
import { cn } from '@/lib/cn';

const looks: Record<LiveConnection, { label: string; variant: BadgeVariant; dot: string; title: string }> = {
  connecting: {
    label: 'Connecting…',
    variant: 'neutral',
    dot: 'bg-fg-subtle motion-safe:animate-pulse',
    title: 'Connecting to the room',
  },
  open: { label: 'Live', variant: 'success', dot: 'bg-success', title: 'Connected: changes show as they happen' },
  reconnecting: {
    label: 'Reconnecting…',
    variant: 'warning',
    dot: 'bg-warning motion-safe:animate-pulse',
    title: 'The connection dropped; trying again',
  },
  closed: { label: 'Offline', variant: 'neutral', dot: 'bg-fg-subtle', title: 'Not connected to the room' },
};

/** The live socket's state in the room header (`data-testid="connection-state"`, `data-state`). */
export function ConnectionState({ connection, endReason }: { connection: LiveConnection; endReason?: LiveEnd | null }) {
  const reload = connection === 'closed' && endReason === 'incompatible';
  const look = looks[connection];
  return (
    <Badge
      variant={reload ? 'danger' : look.variant}
      role="status"
      title={reload ? 'SyncWatch was updated: reload the page' : look.title}
      data-testid="connection-state"
      data-state={connection}
    >
      <span aria-hidden="true" className={cn('h-2 w-2 rounded-full', reload ? 'bg-danger' : look.dot)} />
      {reload ? 'Please reload' : look.label}
    </Badge>
  );
}
