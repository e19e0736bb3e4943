import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';

import { Spinner } from '@/components/ui/spinner';
import { RoomLobby } from '@/features/room/components/room-lobby';
import { RoomStateCard } from '@/features/room/components/room-state-card';
import { RoomView, type RenderChat, type RenderStage } from '@/features/room/components/room-view';
import type { LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { useRoomLive } from '@/features/room/hooks/use-room-live';
import { useRoomMembership } from '@/features/room/hooks/use-room-membership';
import { useRoomSummary } from '@/features/room/hooks/use-room-summary';
import { removalState, type RoomLiveSource } from '@/features/room/lib/live';
import { summaryState } from '@/features/room/lib/room-state';
import { useSessionStore } from '@/stores/session-store';
import { toast } from '@/stores/toast-store';

export interface RoomPageProps {
  /** A valid, normalised invite code. */
  code: string;
  /** Where "Sign in to join" goes: the login page, coming back here. */
  loginPath: string;
  /** The signed-in user's friends, for "Invite friends". */
  loadFriends: LoadFriends;
  /**
   * The room's live session, which the route opens once `onMemberChange` said the visitor is a
   * member. Without one the page polls the member list and shows no live presence.
   */
  live?: RoomLiveSource | null;
  /** Told whenever the visitor becomes, or stops being, a member of the room. */
  onMemberChange?: (member: boolean) => void;
  /** The player for the stage (from the route, with the live session). */
  renderStage?: RenderStage;
  /** The chat beside the stage (from the route, with the live session). */
  renderChat?: RenderChat;
}

/**
 * `/r/:code`: the lobby for visitors, the room for members, or a card saying why neither
 * (gone, full, removed, service down).
 */
export function RoomPage({
  code,
  loginPath,
  loadFriends,
  live: liveSource = null,
  onMemberChange,
  renderStage,
  renderChat,
}: RoomPageProps) {
  const status = useSessionStore((state) => state.status);
  const username = useSessionStore((state) => state.user?.username ?? null);
  const summary = useRoomSummary(code);
  const live = useRoomLive(liveSource);
  const room = useRoomMembership(code, status, { live: live?.connection === 'open' });
  const navigate = useNavigate();
  const [retrying, setRetrying] = useState(false);
  const { view, showState, refresh } = room;
  const { reload: reloadSummary } = summary;

  const isMember = view.kind === 'member';
  useEffect(() => {
    onMemberChange?.(isMember);
  }, [isMember, onMemberChange]);

  // Removed over the socket: the card at once, not at the next poll. An owner who ended the room
  // is taken home by the settings dialog instead.
  const removed = live?.removed ?? null;
  const isOwner = view.kind === 'member' && view.membership.member.role === 'owner';
  useEffect(() => {
    if (removed === null) return;
    const state = removalState(removed);
    if (state === null) void refresh();
    else if (!(state.kind === 'ended' && isOwner)) showState(state);
  }, [removed, isOwner, showState, refresh]);

  // The socket gave up on us (join refused, token refused twice): a membership read says why.
  const gaveUp = live?.connection === 'closed' && (live.endReason === 'refused' || live.endReason === 'auth');
  useEffect(() => {
    if (gaveUp) void refresh();
  }, [gaveUp, refresh]);

  // A full room: read the seats again so the card shows the count as it is now.
  const full = view.kind === 'state' && view.state.kind === 'full';
  useEffect(() => {
    if (full) void reloadSummary();
  }, [full, reloadSummary]);

  if (view.kind === 'member') {
    return (
      <RoomView
        membership={view.membership}
        connected={room.connected}
        live={live}
        onReclaim={() => liveSource?.reclaimOwnership() ?? Promise.resolve()}
        renderStage={liveSource === null ? undefined : renderStage}
        renderChat={liveSource === null ? undefined : renderChat}
        loadFriends={loadFriends}
        onRefresh={room.refresh}
        onRoom={room.applyRoom}
        onLeave={async () => {
          if (await room.leave()) {
            toast.info('You left the room');
            void navigate('/');
          }
        }}
        onEnded={() => {
          toast.success('Room ended', 'Everyone is out and the invite link no longer works.');
          void navigate('/');
        }}
      />
    );
  }

  if (view.kind === 'state') {
    const { state } = view;
    return (
      <RoomStateCard
        state={state}
        summary={summary.summary}
        retrying={retrying}
        onRetry={
          state.kind === 'full'
            ? () => {
                setRetrying(true);
                void room.retryJoin().finally(() => {
                  setRetrying(false);
                });
              }
            : undefined
        }
        onJoinAgain={
          state.kind === 'kicked'
            ? () => {
                room.toLobby();
                void reloadSummary();
              }
            : undefined
        }
      />
    );
  }

  if (summary.error !== null) {
    return (
      <RoomStateCard
        state={summaryState(summary.error)}
        retrying={summary.loading}
        onRetry={
          summaryState(summary.error).kind === 'unavailable'
            ? () => {
                void reloadSummary();
              }
            : undefined
        }
      />
    );
  }

  if (view.kind === 'checking' || summary.summary === null) {
    return (
      <div className="flex justify-center py-24">
        <Spinner size="lg" label="Opening the room…" className="text-accent-text" />
      </div>
    );
  }

  return (
    <RoomLobby
      summary={summary.summary}
      signedInAs={status === 'signed-in' ? username : null}
      loginPath={loginPath}
      initialInput={room.lastJoin}
      initialFailure={room.lobbyFailure}
      onJoin={room.join}
    />
  );
}
