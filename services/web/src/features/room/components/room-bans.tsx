import { RefreshCw } from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { bannedName, useRoomBans } from '@/features/room/hooks/use-room-bans';

/** The room's bans with Unban; loaded while the settings are open. */
export function RoomBans({ code, active }: { code: string; active: boolean }) {
  const { bans, error, reload, unban, isPending } = useRoomBans(code, active);

  if (bans === null && error === null) return <Spinner size="sm" label="Loading bans…" className="text-fg-subtle" />;
  if (bans === null) {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 text-sm text-danger-text">
        <p>The bans could not be loaded. {error}</p>
        <Button size="sm" variant="secondary" icon={<RefreshCw aria-hidden="true" className="h-4 w-4" />} onClick={() => void reload()}>
          Try again
        </Button>
      </div>
    );
  }
  if (bans.length === 0) return <p className="text-sm text-fg-subtle">Nobody is banned from this room.</p>;
  return (
    <ul aria-label="Banned people" data-testid="ban-list" className="-mx-2 flex flex-col gap-0.5">
      {bans.map((ban) => {
        const name = bannedName(ban);
        return (
          <li key={ban.id} data-testid="ban-row" data-ban-id={ban.id} className="flex items-center gap-3 rounded-lg px-2 py-2">
            <Avatar name={name} size="sm" className="opacity-70 grayscale" />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-semibold text-fg">
                {name}
                {ban.user === undefined && <span className="font-normal text-fg-subtle"> (guest)</span>}
              </p>
              <p className="truncate text-xs text-fg-subtle">
                {ban.reason ? `“${ban.reason}”` : 'No reason given'}
              </p>
            </div>
            <Button
              size="sm"
              variant="secondary"
              aria-label={`Unban ${name}`}
              data-testid="unban"
              loading={isPending(`unban:${ban.id}`)}
              onClick={() => void unban(ban)}
            >
              Unban
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
