import { useMemo, useState, type ReactNode } from 'react';

import type { Member, Membership, Room } from '@/features/room/api/rooms-api';
import { InviteFriendsDialog } from '@/features/room/components/invite-friends-dialog';
import { MemberConfirmDialog, type MemberConfirmation } from '@/features/room/components/member-confirm-dialog';
import { ParticipantList } from '@/features/room/components/participant-list';
import { RoomHeader } from '@/features/room/components/room-header';
import { RoomNotices } from '@/features/room/components/room-notices';
import { RoomSettingsDialog } from '@/features/room/components/room-settings-dialog';
import { RoomStage } from '@/features/room/components/room-stage';
import type { LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { useOwnerActions } from '@/features/room/hooks/use-owner-actions';
import { useLiveMembershipSync } from '@/features/room/hooks/use-room-live';
import { presenceById, type RoomLiveSnapshot } from '@/features/room/lib/live';
import type { MemberAction } from '@/features/room/lib/members';

/** Who is looking at the room: their member and user ids (no user id for a guest), and whether they own it. */
export interface RoomViewer {
  memberId: string;
  userId: string | null;
  owner: boolean;
}

/** The player for the stage; `canControl`: this viewer may play, pause, seek and pick the video. */
export type RenderStage = (props: { canControl: boolean; viewer: RoomViewer }) => ReactNode;

/** The room's chat, in the column beside the stage (it decides how to show on small screens). */
export type RenderChat = (props: { viewer: RoomViewer }) => ReactNode;

export interface RoomViewProps {
  membership: Membership;
  connected: boolean;
  /** Re-read the membership now. */
  onRefresh: () => Promise<void>;
  /** Show a room the server answered with. */
  onRoom: (room: Room) => void;
  onLeave: () => Promise<void>;
  /** The owner ended the room from the settings. */
  onEnded: () => void;
  loadFriends: LoadFriends;
  /** The room's live session (presence, notices, sync health); null while there is none. */
  live?: RoomLiveSnapshot | null;
  /** Take the room back (an ownership offer). */
  onReclaim?: () => Promise<void>;
  /** The player, in the stage. Without it the stage says nothing is playing. */
  renderStage?: RenderStage;
  /** The chat, beside the stage. */
  renderChat?: RenderChat;
}

const noReclaim = (): Promise<void> => Promise.resolve();

const ACTION_KEYS = ['kick', 'ban', 'owner', 'control', 'delegate'] as const;
const participantsHeading = (): HTMLElement | null => document.getElementById('participants-title');

/** The room for a member: header, the stage, the participants, and the owner's tools. */
export function RoomView({
  membership,
  connected,
  onRefresh,
  onRoom,
  onLeave,
  onEnded,
  loadFriends,
  live = null,
  onReclaim = noReclaim,
  renderStage,
  renderChat,
}: RoomViewProps) {
  const { room, member: me, members } = membership;
  useLiveMembershipSync(live, membership, onRefresh);
  const participants = live?.participants ?? null;
  const presence = useMemo(() => (participants === null ? null : presenceById(participants)), [participants]);
  const actions = useOwnerActions(room.code, { onChanged: onRefresh, onRoom });
  const [confirmation, setConfirmation] = useState<MemberConfirmation | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [inviteOpen, setInviteOpen] = useState(false);
  const isOwner = me.role === 'owner';
  // The socket's word is the newest (the member list may be a poll behind); the owner always may.
  const liveRoom = live?.room ?? null;
  const canControl =
    liveRoom === null ? isOwner || me.canControl : liveRoom.you === liveRoom.ownerMemberId || liveRoom.canControl;
  const viewerUserId = me.kind === 'user' ? me.user.id : null;
  const viewer = useMemo<RoomViewer>(
    () => ({ memberId: me.id, userId: viewerUserId, owner: isOwner }),
    [me.id, viewerUserId, isOwner],
  );

  const onAction = (action: MemberAction, member: Member): void => {
    switch (action) {
      case 'allow-control':
      case 'revoke-control':
        void actions.setControl(member, action === 'allow-control');
        break;
      case 'set-delegate':
        void actions.setDelegate(member);
        break;
      case 'clear-delegate':
        void actions.setDelegate(null);
        break;
      default:
        setConfirmation({ action, member, open: true });
    }
  };

  const closeConfirmation = (): void => {
    setConfirmation((current) => (current === null ? null : { ...current, open: false }));
  };
  const confirm = async (reason: string): Promise<void> => {
    if (confirmation === null) return;
    const { action, member } = confirmation;
    if (action === 'kick') await actions.kick(member, reason);
    else if (action === 'ban') await actions.ban(member, reason);
    else await actions.makeOwner(member);
    closeConfirmation();
  };
  const confirmKey =
    confirmation === null ? '' : `${confirmation.action === 'make-owner' ? 'owner' : confirmation.action}:${confirmation.member.id}`;

  return (
    <div className="flex min-w-0 flex-col gap-5" data-testid="room-view">
      <RoomHeader
        room={room}
        me={me}
        members={members}
        connected={connected}
        live={live}
        onOpenSettings={() => {
          setSettingsOpen(true);
        }}
        onOpenInvite={() => {
          setInviteOpen(true);
        }}
        onLeave={onLeave}
      />
      {live !== null && <RoomNotices live={live} me={me} members={members} onReclaim={onReclaim} />}
      <div className="grid min-w-0 gap-5 lg:grid-cols-[minmax(0,1fr)_21rem] lg:items-start">
        <RoomStage isOwner={isOwner} className="min-w-0 rounded-2xl">
          {renderStage?.({ canControl, viewer })}
        </RoomStage>
        <div className="flex min-w-0 flex-col gap-5">
          <ParticipantList
            room={room}
            me={me}
            members={members}
            className="min-w-0 rounded-2xl"
            presence={presence}
            isPending={(member) => ACTION_KEYS.some((key) => actions.isPending(`${key}:${member.id}`))}
            onAction={onAction}
          />
          {renderChat?.({ viewer })}
        </div>
      </div>

      <MemberConfirmDialog
        confirmation={confirmation}
        pending={confirmKey !== '' && actions.isPending(confirmKey)}
        fallbackFocus={participantsHeading}
        onConfirm={(reason) => void confirm(reason)}
        onCancel={closeConfirmation}
      />
      {isOwner && (
        <RoomSettingsDialog
          open={settingsOpen}
          room={room}
          members={members}
          onClose={() => {
            setSettingsOpen(false);
          }}
          onSaved={onRoom}
          onStale={() => void onRefresh()}
          onEnded={onEnded}
        />
      )}
      {me.kind === 'user' && (
        <InviteFriendsDialog
          open={inviteOpen}
          code={room.code}
          members={members}
          loadFriends={loadFriends}
          onClose={() => {
            setInviteOpen(false);
          }}
        />
      )}
    </div>
  );
}
