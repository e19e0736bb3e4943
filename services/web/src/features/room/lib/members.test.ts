import { describe, expect, it } from 'vitest';

import { nextOwner, ownerActionsFor, ownerCandidates, sortMembers } from '@/features/room/lib/members';
import { ann, bob, cleo, guestMember, makeRoom, userMember } from '@/features/room/testing/fixtures';

const owner = userMember('m_ann', ann, { role: 'owner', joinedAt: '2026-11-23T20:00:00Z', canControl: true });
const bobM = userMember('m_bob', bob, { joinedAt: '2026-11-23T20:05:00Z' });
const cleoM = userMember('m_cleo', cleo, { joinedAt: '2026-11-23T20:10:00Z' });
const kim = guestMember('m_kim', 'Kim', { joinedAt: '2026-11-23T20:01:00Z' });

describe('ownerActionsFor', () => {
  it('gives a signed-in member kick, ban and make owner', () => {
    expect(ownerActionsFor(makeRoom(), owner, bobM)).toEqual(['make-owner', 'kick', 'ban']);
  });

  it('never offers ownership or delegation to a guest', () => {
    const room = makeRoom({ handover: { enabled: true, order: 'explicit_delegate' } });
    expect(ownerActionsFor(room, owner, kim)).toEqual(['kick', 'ban']);
  });

  it('offers control per member in selected mode only', () => {
    expect(ownerActionsFor(makeRoom({ playbackControl: 'selected' }), owner, kim)).toEqual(['allow-control', 'kick', 'ban']);
    expect(ownerActionsFor(makeRoom({ playbackControl: 'selected', controllers: ['m_kim'] }), owner, kim)).toEqual([
      'revoke-control',
      'kick',
      'ban',
    ]);
    expect(ownerActionsFor(makeRoom({ playbackControl: 'all' }), owner, kim)).toEqual(['kick', 'ban']);
  });

  it('offers the handover delegate when the order is explicit_delegate and handover is on', () => {
    const explicit = makeRoom({ handover: { enabled: true, order: 'explicit_delegate' } });
    expect(ownerActionsFor(explicit, owner, bobM)).toEqual(['set-delegate', 'make-owner', 'kick', 'ban']);
    expect(ownerActionsFor({ ...explicit, delegateId: 'm_bob' }, owner, bobM)).toEqual([
      'clear-delegate',
      'make-owner',
      'kick',
      'ban',
    ]);
    const off = makeRoom({ handover: { enabled: false, order: 'explicit_delegate' } });
    expect(ownerActionsFor(off, owner, bobM)).toEqual(['make-owner', 'kick', 'ban']);
  });

  it('gives nothing on yourself, and nothing to a non-owner', () => {
    expect(ownerActionsFor(makeRoom(), owner, owner)).toEqual([]);
    expect(ownerActionsFor(makeRoom(), bobM, cleoM)).toEqual([]);
  });
});

describe('sortMembers', () => {
  it('puts the owner first, then join order', () => {
    const order = sortMembers([cleoM, bobM, kim, owner]).map((member) => member.id);
    expect(order).toEqual(['m_ann', 'm_kim', 'm_bob', 'm_cleo']);
  });
});

describe('ownerCandidates', () => {
  it('keeps signed-in non-owners in join order', () => {
    expect(ownerCandidates([cleoM, kim, owner, bobM]).map((member) => member.id)).toEqual(['m_bob', 'm_cleo']);
  });
});

describe('nextOwner', () => {
  const others = [kim, cleoM, bobM];

  it('is the longest-present signed-in member in join order', () => {
    expect(nextOwner(makeRoom(), others)?.id).toBe('m_bob');
  });

  it('is the delegate first when the order is explicit_delegate', () => {
    const room = makeRoom({ handover: { enabled: true, order: 'explicit_delegate' }, delegateId: 'm_cleo' });
    expect(nextOwner(room, others)?.id).toBe('m_cleo');
    expect(nextOwner({ ...room, delegateId: 'm_gone' }, others)?.id).toBe('m_bob');
  });

  it('is nobody when only guests stay or handover is off', () => {
    expect(nextOwner(makeRoom(), [kim])).toBeNull();
    expect(nextOwner(makeRoom({ handover: { enabled: false, order: 'join_order' } }), others)).toBeNull();
  });
});
