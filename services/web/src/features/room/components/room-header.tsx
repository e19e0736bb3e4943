import { useState } from 'react';
import { LogOut, Settings2, UserPlus, WifiOff } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { GlassPanel } from '@/components/ui/glass-panel';
import { memberName, type Member, type Room } from '@/features/room/api/rooms-api';
import { ConnectionState } from '@/features/room/components/connection-state';
import { CopyInviteButton } from '@/features/room/components/copy-invite-button';
import type { LiveConnection, LiveEnd } from '@/features/room/lib/live';
import { nextOwner } from '@/features/room/lib/members';
import { env } from '@/lib/env';
import { buildInviteLink } from '@/lib/invite-code';

export interface RoomHeaderProps {
  room: Room;
  me: Member;
  members: Member[];
  connected: boolean;
  /** The live socket's state, when the room has one (it then stands for `connected`). */
  live?: { connection: LiveConnection; endReason?: LiveEnd | null } | null;
  onOpenSettings: () => void;
  onOpenInvite: () => void;
  onLeave: () => Promise<void>;
}

/** What leaving means, in words: for the owner, who takes over or that the room ends. */
function leaveDescription(room: Room, me: Member, members: Member[]): string {
  const others = members.filter((member) => member.id !== me.id);
  if (me.role !== 'owner') {
    return me.kind === 'guest'
      ? 'You can come back with the invite link, as a new guest.'
      : 'You can come back with the invite link while the room is open.';
  }
  const heir = nextOwner(room, others);
  if (heir !== null) return `${memberName(heir)} becomes the owner, and the room stays open for everyone in it.`;
  if (others.length === 0) return 'You are the last one here, so the room ends and its invite link stops working.';
  return room.handover.enabled
    ? 'No other signed-in member is here to take over, so the room ends for everyone.'
    : 'Handover is off, so the room ends for everyone in it.';
}

/** Room name and code, sharing, the owner's settings, and Leave. */
export function RoomHeader({ room, me, members, connected, live, onOpenSettings, onOpenInvite, onLeave }: RoomHeaderProps) {
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const link = buildInviteLink(room.code, env.publicOrigin ?? window.location.origin);
  const isOwner = me.role === 'owner';

  return (
    <GlassPanel as="header" intensity="strong" className="rounded-2xl p-4 sm:p-5" data-testid="room-header">
      <div className="flex flex-col gap-4 lg:flex-row lg:items-center lg:justify-between">
        <div className="min-w-0 lg:flex-1">
          <h1 className="break-words text-2xl font-bold tracking-tight text-fg sm:text-3xl" data-testid="room-name">
            {room.name}
          </h1>
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-fg-muted">
            <span>
              Code{' '}
              <span className="font-mono font-semibold tracking-[0.18em] text-fg" data-testid="room-code">
                {room.code}
              </span>
            </span>
            {isOwner && <Badge variant="accent">You are the owner</Badge>}
            {live ? (
              <ConnectionState connection={live.connection} endReason={live.endReason} />
            ) : (
              !connected && (
                <Badge variant="warning" role="status">
                  <WifiOff aria-hidden="true" className="h-3.5 w-3.5" />
                  Reconnecting…
                </Badge>
              )
            )}
          </div>
        </div>
        {/* Phones: the copy button across, the others two by two. */}
        <div className="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap sm:items-center lg:shrink-0 lg:flex-nowrap">
          <CopyInviteButton link={link} size="sm" className="col-span-2 w-full sm:w-auto" />
          {me.kind === 'user' && (
            <Button
              variant="secondary"
              size="sm"
              icon={<UserPlus aria-hidden="true" className="h-4 w-4 shrink-0" />}
              aria-label="Invite friends"
              data-testid="open-invite-friends"
              onClick={onOpenInvite}
            >
              {/* Half a phone's width holds "Invite" but not the whole label. */}
              <span className="xs:hidden">Invite</span>
              <span className="hidden xs:inline">Invite friends</span>
            </Button>
          )}
          {isOwner && (
            <Button
              variant="secondary"
              size="sm"
              icon={<Settings2 aria-hidden="true" className="h-4 w-4" />}
              data-testid="open-room-settings"
              onClick={onOpenSettings}
            >
              Settings
            </Button>
          )}
          <Button
            variant="ghost"
            size="sm"
            icon={<LogOut aria-hidden="true" className="h-4 w-4" />}
            data-testid="leave-room"
            onClick={() => {
              setConfirmLeave(true);
            }}
          >
            Leave
          </Button>
        </div>
      </div>
      <ConfirmDialog
        open={confirmLeave}
        title="Leave this room?"
        description={leaveDescription(room, me, members)}
        confirmLabel="Leave room"
        tone="danger"
        pending={leaving}
        onConfirm={() => {
          setLeaving(true);
          void onLeave().finally(() => {
            setLeaving(false);
            setConfirmLeave(false);
          });
        }}
        onCancel={() => {
          setConfirmLeave(false);
        }}
      />
    </GlassPanel>
  );
}
