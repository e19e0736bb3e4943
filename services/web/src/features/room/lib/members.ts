import type { Member, Room } from '@/features/room/api/rooms-api';

/** What the owner may do to one other member, in the order the member's menu lists them. */
export type MemberAction =
  | 'allow-control'
  | 'revoke-control'
  | 'set-delegate'
  | 'clear-delegate'
  | 'make-owner'
  | 'kick'
  | 'ban';

/**
 * The owner's actions on `target` (docs/api/rooms.md): none for anyone but the owner, none on
 * yourself. Control is granted per member only in `selected` mode; a handover delegate and a new
 * owner must be signed-in members (guests cannot own a room).
 */
export function ownerActionsFor(room: Room, me: Member, target: Member): MemberAction[] {
  if (me.role !== 'owner' || target.id === me.id) return [];
  const actions: MemberAction[] = [];
  if (room.playbackControl === 'selected') {
    actions.push(room.controllers.includes(target.id) ? 'revoke-control' : 'allow-control');
  }
  if (target.kind === 'user') {
    if (room.handover.enabled && room.handover.order === 'explicit_delegate') {
      actions.push(room.delegateId === target.id ? 'clear-delegate' : 'set-delegate');
    }
    actions.push('make-owner');
  }
  actions.push('kick', 'ban');
  return actions;
}

/** The owner first, then everyone in the order they joined. */
export function sortMembers(members: readonly Member[]): Member[] {
  return [...members].sort(
    (a, b) => Number(b.role === 'owner') - Number(a.role === 'owner') || Date.parse(a.joinedAt) - Date.parse(b.joinedAt),
  );
}

/** Signed-in members other than the owner: those who may be handover delegate or new owner. */
export function ownerCandidates(members: readonly Member[]): Extract<Member, { kind: 'user' }>[] {
  return sortMembers(members).filter(
    (member): member is Extract<Member, { kind: 'user' }> => member.kind === 'user' && member.role !== 'owner',
  );
}

/**
 * Who owns the room once the owner leaves, as the room service decides it: nobody when
 * handover is off or no signed-in member stays (the room then ends); else the delegate when the
 * order is `explicit_delegate` and the delegate is still in, else the longest-present signed-in
 * member. Null means the room ends.
 */
export function nextOwner(room: Room, members: readonly Member[]): Member | null {
  if (!room.handover.enabled) return null;
  const candidates = ownerCandidates(members);
  if (room.handover.order === 'explicit_delegate' && room.delegateId !== null) {
    const delegate = candidates.find((member) => member.id === room.delegateId);
    if (delegate !== undefined) return delegate;
  }
  return candidates[0] ?? null;
}
