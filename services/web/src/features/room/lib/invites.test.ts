import { describe, expect, it } from 'vitest';

import { invitableFriends } from '@/features/room/lib/invites';
import { ann, bob, cleo, guestMember, userMember } from '@/features/room/testing/fixtures';

describe('invitableFriends', () => {
  it('drops friends already in the room and lists online ones first, then by name', () => {
    const dan = { id: 'u_dan', username: 'dan' };
    const eve = { id: 'u_eve', username: 'eve' };
    const friends = [
      { user: eve, online: false },
      { user: bob, online: false },
      { user: dan, online: true },
      { user: cleo, online: true },
    ];
    const members = [userMember('m_ann', ann, { role: 'owner' }), userMember('m_cleo', cleo), guestMember('m_kim', 'bob')];
    expect(invitableFriends(friends, members).map((friend) => friend.user.username)).toEqual(['dan', 'bob', 'eve']);
  });
});
