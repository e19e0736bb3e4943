import { Navigate, useParams } from 'react-router';

import { InvalidInvite } from '@/features/room/components/invalid-invite';
import { RoomLobby } from '@/features/room/components/room-lobby';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { isInviteCode, normalizeInviteCode } from '@/lib/invite-code';

export function RoomRoute() {
  const { code: rawCode = '' } = useParams();
  const code = normalizeInviteCode(rawCode);
  const valid = isInviteCode(code);
  useDocumentTitle(valid ? `Room ${code}` : 'Invalid invite');

  if (!valid) return <InvalidInvite />;
  // One canonical address per room: /r/abcd-efgh becomes /r/ABCDEFGH.
  if (code !== rawCode) return <Navigate to={`/r/${code}`} replace />;
  return <RoomLobby code={code} />;
}
