import { Users } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { GlassPanel } from '@/components/ui/glass-panel';
import type { Member, Room } from '@/features/room/api/rooms-api';
import { ParticipantRow } from '@/features/room/components/participant-row';
import type { MemberAction } from '@/features/room/lib/members';
import { sortMembers } from '@/features/room/lib/members';
import type { Participant } from '@/lib/protocol/v1.gen';

export interface ParticipantListProps {
  room: Room;
  me: Member;
  members: Member[];
  /** The owner chose an action from a member's menu. */
  onAction: (action: MemberAction, member: Member) => void;
  isPending: (member: Member) => boolean;
  /** The live socket's participants by member id; null without a socket. */
  presence?: ReadonlyMap<string, Participant> | null;
  className?: string;
}

/** Everyone in the room, the owner first; the owner gets a menu on every other row. */
export function ParticipantList({ room, me, members, onAction, isPending, presence, className }: ParticipantListProps) {
  const sorted = sortMembers(members);
  return (
    <GlassPanel as="section" aria-labelledby="participants-title" className={className}>
      <div className="flex items-center gap-2.5 px-4 pt-4 sm:px-5 sm:pt-5">
        <Users aria-hidden="true" className="h-5 w-5 shrink-0 text-accent-text" />
        <h2 id="participants-title" tabIndex={-1} className="text-lg font-semibold tracking-tight text-fg focus:outline-none">
          Participants
        </h2>
        <Badge className="ml-auto" data-testid="participant-count">
          <span className="sr-only">
            {members.length} of {room.maxParticipants} seats taken
          </span>
          <span aria-hidden="true">
            {members.length}/{room.maxParticipants}
          </span>
        </Badge>
      </div>
      <ul aria-label="Participants" data-testid="participant-list" className="flex flex-col gap-0.5 p-2 sm:p-3">
        {sorted.map((member) => (
          <ParticipantRow
            key={member.id}
            room={room}
            me={me}
            member={member}
            pending={isPending(member)}
            onAction={onAction}
            presence={presence?.get(member.id)}
          />
        ))}
      </ul>
    </GlassPanel>
  );
}
