import { Lock, Users } from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import { GlassCard } from '@/components/ui/glass-panel';
import type { RoomSummary } from '@/features/room/api/rooms-api';
import { LobbyJoinForm, type LobbyJoinFormProps } from '@/features/room/components/lobby-join-form';
import { seatsLabel } from '@/features/room/lib/messages';
import { cn } from '@/lib/cn';

export interface RoomLobbyProps extends Omit<LobbyJoinFormProps, 'hasPassword'> {
  summary: RoomSummary;
}

/** Seats as dots: filled for taken, hollow for free. */
function SeatDots({ taken, max }: { taken: number; max: number }) {
  return (
    <span aria-hidden="true" className="flex gap-1">
      {Array.from({ length: max }, (_, index) => (
        <span
          key={index}
          className={cn(
            'h-2.5 w-2.5 rounded-full',
            index < taken ? 'bg-accent' : 'border border-fg-subtle/50 bg-transparent',
          )}
        />
      ))}
    </span>
  );
}

/**
 * The room before you are in it: what the room is (name, owner, seats, whether it has a
 * password) and how to join: as yourself when signed in, else by signing in or as a guest.
 */
export function RoomLobby({ summary, ...form }: RoomLobbyProps) {
  const full = summary.seatsTaken >= summary.maxParticipants;
  return (
    <div className="mx-auto w-full max-w-xl">
      <GlassCard as="section" aria-labelledby="room-title" intensity="strong" data-testid="room-lobby">
        <div className="flex flex-wrap items-center gap-2">
          <Badge variant="accent">Watch party</Badge>
          {summary.hasPassword && (
            <Badge data-testid="room-has-password">
              <Lock aria-hidden="true" className="h-3.5 w-3.5" />
              Password
            </Badge>
          )}
          {full && <Badge variant="warning">Full right now</Badge>}
        </div>
        <h1 id="room-title" className="mt-4 break-words text-3xl font-bold tracking-tight text-fg sm:text-4xl">
          {summary.name}
        </h1>
        <dl className="mt-5 grid gap-4 text-sm xs:grid-cols-2">
          <div className="flex min-w-0 items-center gap-3">
            <Avatar name={summary.owner.username} size="sm" />
            <div className="min-w-0">
              <dt className="text-xs text-fg-subtle">Hosted by</dt>
              <dd className="truncate font-semibold text-fg" data-testid="room-owner">
                {summary.owner.username}
              </dd>
            </div>
          </div>
          <div className="flex min-w-0 items-center gap-3">
            <span className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-fg/[0.06] text-fg-muted">
              <Users aria-hidden="true" className="h-4 w-4" />
            </span>
            <div className="min-w-0">
              <dt className="text-xs text-fg-subtle">Seats</dt>
              <dd className="flex flex-wrap items-center gap-2 font-semibold text-fg" data-testid="room-seats">
                {seatsLabel(summary.seatsTaken, summary.maxParticipants)}
                <SeatDots taken={summary.seatsTaken} max={summary.maxParticipants} />
              </dd>
            </div>
          </div>
        </dl>

        <div className="mt-6 border-t border-line pt-6">
          <LobbyJoinForm hasPassword={summary.hasPassword} {...form} />
        </div>
      </GlassCard>
    </div>
  );
}
