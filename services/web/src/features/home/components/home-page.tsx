import { useCallback, useState } from 'react';

import type { HomeRoomsApi } from '@/features/home/api/home-rooms';
import { CreateRoomDialog } from '@/features/home/components/create-room-dialog';
import { FeatureHighlights } from '@/features/home/components/feature-highlights';
import { HomeHero } from '@/features/home/components/home-hero';
import { MyRooms } from '@/features/home/components/my-rooms';
import { RoomInvites } from '@/features/home/components/room-invites';
import { useSessionStore } from '@/stores/session-store';

export interface HomePageProps {
  /** The rooms API (the room feature's, wired in by the app layer). */
  rooms: HomeRoomsApi;
}

/**
 * The home page. Visitors: the pitch with join-by-code, then the highlights. Signed in: create
 * and join at the top, then invitations (when there are any), then your rooms. Nothing is
 * requested for a visitor.
 */
export function HomePage({ rooms }: HomePageProps) {
  const status = useSessionStore((state) => state.status);
  const user = useSessionStore((state) => state.user);
  const [creating, setCreating] = useState(false);
  const openCreate = useCallback(() => {
    setCreating(true);
  }, []);
  const closeCreate = useCallback(() => {
    setCreating(false);
  }, []);

  if (status !== 'signed-in' || user === null) {
    return (
      <>
        <HomeHero audience={{ kind: status === 'unknown' ? 'checking' : 'visitor' }} />
        <FeatureHighlights />
      </>
    );
  }

  return (
    <>
      <HomeHero audience={{ kind: 'member', username: user.username, onCreateRoom: openCreate }} />
      <div className="mt-12 flex flex-col gap-6 sm:mt-16">
        <RoomInvites load={rooms.myInvites} dismiss={rooms.dismissInvite} afterLastId="my-rooms-title" />
        <MyRooms load={rooms.myRooms} onCreate={openCreate} />
      </div>
      <FeatureHighlights />
      <CreateRoomDialog open={creating} onClose={closeCreate} username={user.username} createRoom={rooms.createRoom} />
    </>
  );
}
