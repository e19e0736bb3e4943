import type { Member, Room } from '@/features/room/api/rooms-api';

/** Rooms and members for tests, in the shapes of docs/api/rooms.md. */

export const ann = { id: 'u_ann', username: 'ann' };
export const bob = { id: 'u_bob', username: 'bob' };
export const cleo = { id: 'u_cleo', username: 'cleo' };

export function userMember(id: string, user: { id: string; username: string }, overrides: Partial<Member> = {}): Member {
  return {
    id,
    kind: 'user',
    user,
    role: 'member',
    joinedAt: '2026-11-23T20:00:00Z',
    canControl: false,
    ...overrides,
  } as Member;
}

export function guestMember(id: string, guestName: string, overrides: Partial<Member> = {}): Member {
  return {
    id,
    kind: 'guest',
    guestName,
    role: 'member',
    joinedAt: '2026-11-23T20:00:00Z',
    canControl: false,
    ...overrides,
  } as Member;
}

export function makeRoom(overrides: Partial<Room> = {}): Room {
  return {
    id: 'rm_1',
    code: 'K7QX2MPA',
    name: 'Friday film',
    owner: ann,
    seatsTaken: 3,
    maxParticipants: 5,
    hasPassword: false,
    playbackControl: 'owner_only',
    nowPlaying: null,
    expiresAt: '2026-11-24T22:00:00Z',
    createdAt: '2026-11-23T20:00:00Z',
    handover: { enabled: true, order: 'join_order' },
    buffering: { policy: 'wait_then_continue', graceSeconds: 10 },
    delegateId: null,
    controllers: [],
    inviteUrl: '/r/K7QX2MPA',
    ...overrides,
  };
}
