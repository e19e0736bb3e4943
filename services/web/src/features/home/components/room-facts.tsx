import { Crown, Lock, Users } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import type { RoomFacts } from '@/features/home/api/home-rooms';
import { isFull, seatsText } from '@/features/home/lib/my-rooms';
import { cn } from '@/lib/cn';

/** "2/5" with a people icon, read out as "2 of 5 seats taken"; amber when the room is full. */
export function Seats({ room }: { room: Pick<RoomFacts, 'seatsTaken' | 'maxParticipants'> }) {
  const text = seatsText(room.seatsTaken, room.maxParticipants);
  return (
    <span
      data-testid="room-seats"
      className={cn('inline-flex items-center gap-1', isFull(room) && 'font-medium text-warning-text')}
    >
      <Users aria-hidden="true" className="h-3.5 w-3.5" />
      <span aria-hidden="true">{text.short}</span>
      <span className="sr-only">{text.long}</span>
    </span>
  );
}

/** A lock for a room that asks for a password. */
export function PasswordLock({ hasPassword }: { hasPassword: boolean }) {
  if (!hasPassword) return null;
  return (
    <span data-testid="room-lock" title="Needs a password" className="inline-flex items-center">
      <Lock aria-hidden="true" className="h-3.5 w-3.5" />
      <span className="sr-only">Needs a password</span>
    </span>
  );
}

export function RoleBadge({ role }: { role: 'owner' | 'member' }) {
  return role === 'owner' ? (
    <Badge variant="accent" data-testid="room-role" className="shrink-0">
      <Crown aria-hidden="true" className="h-3 w-3" />
      Owner
    </Badge>
  ) : (
    <Badge data-testid="room-role" className="shrink-0">
      Member
    </Badge>
  );
}

/** A separator dot between facts on one line. */
export function Dot() {
  return (
    <span aria-hidden="true" className="text-fg-subtle/70">
      ·
    </span>
  );
}
