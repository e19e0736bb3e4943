import type { PublicUser } from '@/lib/auth-types';

/**
 * What the home page needs of the rooms REST API (docs/api/rooms.md). Features do not import
 * each other (ESLint `import/no-restricted-paths`), so the app layer hands the room feature's
 * `rooms-api` functions in (src/app/routes/home.tsx), and the compiler checks there that they
 * fit these shapes. Only the fields the home page reads are listed.
 */

export type PlaybackControl = 'owner_only' | 'all' | 'selected';
export type HandoverOrder = 'join_order' | 'explicit_delegate';

/** `POST /api/rooms` body. Leaving out `name` gives "<username>'s room"; leaving out `password`, none. */
export interface NewRoom {
  name?: string;
  maxParticipants: number;
  password?: string;
  playbackControl: PlaybackControl;
  handover: { enabled: boolean; order: HandoverOrder };
}

/** The public facts of a room (`RoomSummary`). */
export interface RoomFacts {
  code: string;
  name: string;
  owner: PublicUser;
  seatsTaken: number;
  maxParticipants: number;
  hasPassword: boolean;
}

/** One entry of `GET /api/rooms`: a room you are in (`live`), or one from your history. */
export interface MyRoomEntry {
  room: RoomFacts;
  role: 'owner' | 'member';
  joinedAt: string;
  leftAt: string | null;
  live: boolean;
}

/** One pending invitation of `GET /api/rooms/invites`. */
export interface RoomInvite {
  id: string;
  room: RoomFacts;
  from: PublicUser;
  createdAt: string;
}

export interface HomeRoomsApi {
  createRoom: (input: NewRoom) => Promise<{ room: { code: string } }>;
  myRooms: (signal?: AbortSignal) => Promise<MyRoomEntry[]>;
  myInvites: (signal?: AbortSignal) => Promise<RoomInvite[]>;
  dismissInvite: (inviteId: string) => Promise<unknown>;
}
