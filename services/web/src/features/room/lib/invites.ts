import type { Member } from '@/features/room/api/rooms-api';
import type { PublicUser } from '@/lib/auth-types';

/** A friend as the invite dialog needs one (the friends feature's `Friend` fits). */
export interface InvitableFriend {
  user: PublicUser;
  online: boolean;
}

/** Friends who are not in the room yet, online ones first, then by name. */
export function invitableFriends(friends: readonly InvitableFriend[], members: readonly Member[]): InvitableFriend[] {
  const inRoom = new Set(members.flatMap((member) => (member.kind === 'user' ? [member.user.id] : [])));
  return friends
    .filter((friend) => !inRoom.has(friend.user.id))
    .sort((a, b) => Number(b.online) - Number(a.online) || a.user.username.localeCompare(b.user.username));
}
