import {
  Ban,
  Crown,
  Gamepad2,
  MoreHorizontal,
  ShieldOff,
  UserCheck,
  UserMinus,
  UserX,
  type LucideIcon,
} from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import { Menu, type MenuItem } from '@/components/ui/menu';
import { Spinner } from '@/components/ui/spinner';
import { memberName, type Member, type Room } from '@/features/room/api/rooms-api';
import { healthLevel, shownHealth, type HealthLevel } from '@/features/room/lib/live';
import { ownerActionsFor, type MemberAction } from '@/features/room/lib/members';
import { cn } from '@/lib/cn';
import type { Participant, ParticipantHealth } from '@/lib/protocol/v1.gen';

const ACTION_ITEMS: Record<MemberAction, { label: string; icon: LucideIcon; tone?: 'danger' }> = {
  'allow-control': { label: 'Allow control', icon: Gamepad2 },
  'revoke-control': { label: 'Revoke control', icon: ShieldOff },
  'set-delegate': { label: 'Set as handover delegate', icon: UserCheck },
  'clear-delegate': { label: 'Remove as handover delegate', icon: UserMinus },
  'make-owner': { label: 'Make owner', icon: Crown },
  kick: { label: 'Kick', icon: UserX, tone: 'danger' },
  ban: { label: 'Ban', icon: Ban, tone: 'danger' },
};

export interface ParticipantRowProps {
  room: Room;
  me: Member;
  member: Member;
  pending: boolean;
  onAction: (action: MemberAction, member: Member) => void;
  /** The member as the live socket sees them (presence, buffering, sync health); none without a socket. */
  presence?: Participant;
}

const healthColours: Record<HealthLevel, string> = {
  good: 'text-success-text',
  fair: 'text-warning-text',
  poor: 'text-danger-text',
};

/** How far this member's video is from the room's position, and their round trip to the server. */
function SyncHealth({ health }: { health: ParticipantHealth }) {
  const level = healthLevel(health.driftMs);
  const drift = Math.round(Math.abs(health.driftMs));
  const rtt = Math.round(health.rttMs);
  const side = health.driftMs > 0 ? 'ahead of' : 'behind';
  const said = drift === 0 ? 'in step with' : `${drift} ms ${side}`;
  return (
    <span
      className={cn('inline-flex items-center gap-1 text-xs font-medium tabular-nums', healthColours[level])}
      title={`${said} the room; round trip ${rtt} ms`}
      data-testid="sync-health"
      data-level={level}
    >
      <span aria-hidden="true" className="h-1.5 w-1.5 rounded-full bg-current" />
      <span className="sr-only">In sync: {level}, </span>
      {drift} ms
      <span className="text-fg-subtle">· RTT {rtt} ms</span>
    </span>
  );
}

/** One member: avatar, name, role and status badges, live presence and sync health, and the owner's menu. */
export function ParticipantRow({ room, me, member, pending, onAction, presence }: ParticipantRowProps) {
  const name = memberName(member);
  const isMe = member.id === me.id;
  const isDelegate =
    room.handover.enabled && room.handover.order === 'explicit_delegate' && room.delegateId === member.id;
  const actions = ownerActionsFor(room, me, member);
  const health = shownHealth(presence);
  const items: MenuItem[] = actions.map((action) => ({
    ...ACTION_ITEMS[action],
    testId: `member-action-${action}`,
    onSelect: () => {
      onAction(action, member);
    },
  }));

  return (
    <li
      data-testid="participant"
      data-member-id={member.id}
      className="flex items-center gap-3 rounded-lg px-2 py-2 transition-colors duration-fast hover:bg-fg/[0.035]"
    >
      <Avatar name={name} online={presence?.online} />
      <div className="min-w-0 flex-1">
        <p className="flex min-w-0 items-center gap-1.5 text-sm font-semibold text-fg">
          <span className="truncate" data-testid="participant-name">
            {name}
          </span>
          {isMe && <span className="shrink-0 font-normal text-fg-subtle">(You)</span>}
          {presence !== undefined && (
            <span className="sr-only" data-testid="presence" data-online={presence.online}>
              {presence.online ? 'online' : 'offline'}
            </span>
          )}
        </p>
        <div className="mt-1 flex flex-wrap items-center gap-1">
          {member.role === 'owner' && (
            <Badge variant="accent" className="px-2 py-0">
              <Crown aria-hidden="true" className="h-3 w-3" />
              Owner
            </Badge>
          )}
          {member.kind === 'guest' && <Badge className="px-2 py-0">Guest</Badge>}
          {isDelegate && <Badge className="px-2 py-0">Delegate</Badge>}
          {presence?.online === true && presence.buffering && (
            <Badge variant="warning" className="px-2 py-0" data-testid="participant-buffering">
              buffering…
            </Badge>
          )}
          {health !== null && <SyncHealth health={health} />}
        </div>
      </div>
      {member.canControl && (
        <span
          className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-full text-success-text"
          title="Can control playback"
          data-testid="can-control"
        >
          <Gamepad2 aria-hidden="true" className="h-4 w-4" />
          <span className="sr-only">Can control playback</span>
        </span>
      )}
      {pending && <Spinner size="sm" label={`Updating ${name}`} className="shrink-0 text-fg-subtle" />}
      {items.length > 0 && (
        <Menu
          label={`Actions for ${name}`}
          triggerLabel={`Actions for ${name}`}
          triggerTestId="member-actions"
          triggerClassName="h-9 w-9 shrink-0 text-fg-muted hover:bg-fg/[0.06] hover:text-fg"
          trigger={<MoreHorizontal aria-hidden="true" className="h-5 w-5" />}
          items={items}
        />
      )}
    </li>
  );
}
