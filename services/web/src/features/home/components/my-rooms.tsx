import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ArrowRight, History, Plus, RefreshCw, Tv } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { buttonStyles } from '@/components/ui/button-styles';
import type { HomeRoomsApi, MyRoomEntry } from '@/features/home/api/home-rooms';
import { Dot, PasswordLock, RoleBadge, Seats } from '@/features/home/components/room-facts';
import { HomeSection, RowsSkeleton } from '@/features/home/components/home-section';
import { useVisibleResource } from '@/hooks/use-visible-resource';
import { groupMyRooms, historyWhen } from '@/features/home/lib/my-rooms';
import { cn } from '@/lib/cn';

/** Past rooms listed before "Show all". */
export const HISTORY_PREVIEW = 5;

function RoomRow({ entry }: { entry: MyRoomEntry }) {
  const { room, live } = entry;
  return (
    <li
      data-testid="my-room"
      data-code={room.code}
      data-live={live}
      className={cn(
        'flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg px-2 py-2.5 transition-colors duration-fast sm:px-3',
        live ? 'hover:bg-fg/[0.035]' : 'opacity-75',
      )}
    >
      <span
        aria-hidden="true"
        className={cn(
          'inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-md ring-1 ring-inset',
          live ? 'bg-accent/10 text-accent-text ring-accent/20' : 'bg-fg/[0.05] text-fg-subtle ring-line',
        )}
      >
        {live ? <Tv className="h-5 w-5" /> : <History className="h-5 w-5" />}
      </span>
      <div className="min-w-0 flex-1 basis-40">
        <div className="flex min-w-0 items-center gap-2">
          <p className={cn('truncate text-sm font-semibold', live ? 'text-fg' : 'text-fg-muted')}>{room.name}</p>
          <RoleBadge role={entry.role} />
        </div>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 text-xs text-fg-subtle">
          <span className="font-mono tracking-wider" data-testid="room-code">
            {room.code}
          </span>
          <Dot />
          {live ? (
            <>
              <Seats room={room} />
              <PasswordLock hasPassword={room.hasPassword} />
            </>
          ) : (
            <span data-testid="room-when">{historyWhen(entry)}</span>
          )}
        </p>
      </div>
      {live && (
        <Link
          to={`/r/${encodeURIComponent(room.code)}`}
          aria-label={`Open ${room.name}`}
          data-testid="open-room"
          className={buttonStyles({ size: 'sm', className: 'ml-auto' })}
        >
          Open
          <ArrowRight aria-hidden="true" className="h-4 w-4" />
        </Link>
      )}
    </li>
  );
}

export interface MyRoomsProps {
  load: HomeRoomsApi['myRooms'];
  onCreate: () => void;
}

/**
 * "Your rooms": the rooms you are in (each with an Open link), then the ones you left or that
 * ended, muted. Loaded on arrival and whenever the tab comes back to the foreground.
 */
export function MyRooms({ load, onCreate }: MyRoomsProps) {
  const rooms = useVisibleResource(load, null);
  const [showAll, setShowAll] = useState(false);
  const grouped = useMemo(() => (rooms.data === null ? null : groupMyRooms(rooms.data)), [rooms.data]);

  let body;
  if (grouped === null && rooms.loading) {
    body = <RowsSkeleton rows={2} />;
  } else if (grouped === null) {
    body = (
      <div role="alert" className="rounded-lg border border-dashed border-line px-4 py-5 text-center text-sm text-fg-muted">
        Your rooms could not be loaded.{' '}
        {rooms.error?.isServiceUnavailable ? 'The room service is not available right now.' : rooms.error?.userMessage}
      </div>
    );
  } else if (grouped.live.length === 0 && grouped.history.length === 0) {
    body = (
      <div
        data-testid="my-rooms-empty"
        className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-line px-4 py-6 text-center"
      >
        <p className="text-sm text-fg-muted">No rooms yet. Create one, share its link, and it will show up here.</p>
        <Button size="sm" variant="secondary" aria-haspopup="dialog" data-testid="create-room-empty" onClick={onCreate}>
          <Plus aria-hidden="true" className="h-4 w-4" />
          Create a room
        </Button>
      </div>
    );
  } else {
    const history = showAll ? grouped.history : grouped.history.slice(0, HISTORY_PREVIEW);
    const hidden = grouped.history.length - history.length;
    body = (
      <div className="flex flex-col gap-4">
        {grouped.live.length > 0 ? (
          <ul aria-label="Rooms you are in" data-testid="my-rooms-live">
            {grouped.live.map((entry) => (
              <RoomRow key={entry.room.code} entry={entry} />
            ))}
          </ul>
        ) : (
          <p className="px-1 text-sm text-fg-muted">You are not in a room right now.</p>
        )}
        {grouped.history.length > 0 && (
          <div>
            <h3 id="my-rooms-history-title" className="px-1 text-xs font-semibold uppercase tracking-wider text-fg-subtle">
              Earlier
            </h3>
            <ul aria-labelledby="my-rooms-history-title" data-testid="my-rooms-history" className="mt-1">
              {history.map((entry) => (
                <RoomRow key={entry.room.code} entry={entry} />
              ))}
            </ul>
            {hidden > 0 && (
              <Button
                variant="ghost"
                size="sm"
                className="mt-1"
                onClick={() => {
                  setShowAll(true);
                }}
              >
                Show {hidden} more
              </Button>
            )}
          </div>
        )}
      </div>
    );
  }

  const failed = rooms.error !== null;
  return (
    <HomeSection
      id="my-rooms"
      testId="my-rooms"
      title="Your rooms"
      icon={Tv}
      count={grouped?.live.length}
      action={
        failed ? (
          <Button
            variant="secondary"
            size="sm"
            icon={<RefreshCw aria-hidden="true" className="h-4 w-4" />}
            onClick={() => void rooms.reload()}
          >
            Try again
          </Button>
        ) : undefined
      }
    >
      {body}
    </HomeSection>
  );
}
