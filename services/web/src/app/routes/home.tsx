import type { HomeRoomsApi } from '@/features/home/api/home-rooms';
import { HomePage } from '@/features/home/components/home-page';
import { createRoom, dismissInvite, myInvites, myRooms } from '@/features/room/api/rooms-api';
import { useDocumentTitle } from '@/hooks/use-document-title';

/** Features do not import each other, so the home page gets the room feature's API here. */
const rooms: HomeRoomsApi = { createRoom, myRooms, myInvites, dismissInvite };

export function HomeRoute() {
  useDocumentTitle();
  return <HomePage rooms={rooms} />;
}
