import { useCallback, useMemo, useState } from 'react';
import { Navigate, useParams } from 'react-router';

import { loginPathFor } from '@/features/auth/lib/next-path';
import { ChatDock } from '@/features/chat/components/chat-dock';
import { ChatOverlay } from '@/features/chat/components/chat-overlay';
import { ChatProvider } from '@/features/chat/components/chat-provider';
import { getFriends } from '@/features/friends/api/friends-api';
import { liveSocketToken, liveSocketUserId } from '@/features/room/api/live-token';
import { InvalidInvite } from '@/features/room/components/invalid-invite';
import { RoomPage } from '@/features/room/components/room-page';
import type { RenderChat, RenderStage } from '@/features/room/components/room-view';
import type { LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { PlayerStage } from '@/features/sync/components/player-stage';
import type { GetToken } from '@/features/sync/live/room-socket';
import { useLiveRoom } from '@/features/sync/live/use-live-room';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { isInviteCode, normalizeInviteCode } from '@/lib/invite-code';
import { useSessionStore } from '@/stores/session-store';

// Features do not import each other: the room page gets the friends list, the login path, the
// live session, the player and the chat from here.
const loadFriends: LoadFriends = async (signal) => (await getFriends(signal)).friends;

export function RoomRoute() {
  const { code: rawCode = '' } = useParams();
  const code = normalizeInviteCode(rawCode);
  const valid = isInviteCode(code);
  useDocumentTitle(valid ? `Room ${code}` : 'Invalid invite');

  if (!valid) return <InvalidInvite />;
  // One canonical address per room: /r/abcd-efgh becomes /r/ABCDEFGH.
  if (code !== rawCode) return <Navigate to={`/r/${code}`} replace />;
  // Keyed by code: another room starts from a clean page (and its own socket).
  return <LiveRoomPage key={code} code={code} />;
}

/** The room page with its live session: opened once the visitor is a member, closed when not. */
function LiveRoomPage({ code }: { code: string }) {
  const [member, setMember] = useState(false);
  const getToken = useCallback<GetToken>((options) => liveSocketToken(code, options), [code]);
  const signedInUserId = useSessionStore((session) => session.user?.id ?? null);
  // Read once the visitor is a member: joining as a guest is what writes this tab's guest session.
  const chatUserId = member ? liveSocketUserId(code, signedInUserId) : null;
  const live = useLiveRoom(code, getToken, member, { chatUserId });
  const renderStage = useMemo<RenderStage | undefined>(
    () =>
      live === null
        ? undefined
        : ({ canControl, viewer }) => (
            <PlayerStage
              live={live}
              canControl={canControl}
              className="rounded-2xl"
              // In full screen only the stage shows: the chat goes in there with it.
              overlay={({ fullscreen }) => (fullscreen ? <ChatOverlay viewer={viewer} /> : null)}
            />
          ),
    [live],
  );
  const renderChat = useMemo<RenderChat | undefined>(
    () => (live === null ? undefined : ({ viewer }) => <ChatDock viewer={viewer} />),
    [live],
  );

  return (
    <ChatProvider chat={live?.chat ?? null}>
      <RoomPage
        code={code}
        loginPath={loginPathFor(`/r/${code}`)}
        loadFriends={loadFriends}
        live={live}
        onMemberChange={setMember}
        renderStage={renderStage}
        renderChat={renderChat}
      />
    </ChatProvider>
  );
}
