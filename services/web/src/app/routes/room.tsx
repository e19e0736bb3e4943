import { Navigate, useParams } from 'react-router';

import { loginPathFor } from '@/features/auth/lib/next-path';
import { getFriends } from '@/features/friends/api/friends-api';
import { InvalidInvite } from '@/features/room/components/invalid-invite';
import { RoomPage } from '@/features/room/components/room-page';
import type { LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { isInviteCode, normalizeInviteCode } from '@/lib/invite-code';

// Features do not import each other: the room page gets the friends list and the login path from here.
const loadFriends: LoadFriends = async (signal) => (await getFriends(signal)).friends;

export function RoomRoute() {
  const { code: rawCode = '' } = useParams();
  const code = normalizeInviteCode(rawCode);
  const valid = isInviteCode(code);
  useDocumentTitle(valid ? `Room ${code}` : 'Invalid invite');

  if (!valid) return <InvalidInvite />;
  // One canonical address per room: /r/abcd-efgh becomes /r/ABCDEFGH.
  if (code !== rawCode) return <Navigate to={`/r/${code}`} replace />;
  // Keyed by code: another room starts from a clean page.
  return <RoomPage key={code} code={code} loginPath={loginPathFor(`/r/${code}`)} loadFriends={loadFriends} />;
}
