import { describe, expect, it } from 'vitest';

import { ann, userMember } from '@/features/room/testing/fixtures';
import { fakeLive, liveParticipant, liveRoomState } from '@/features/room/testing/live-fake';

import {
  bufferingText,
  healthLevel,
  liveMembersKey,
  ownerAwayMessage,
  OWNER_AWAY_FALLBACK,
  removalState,
  restMembersKey,
  shownHealth,
} from './live';

describe('healthLevel', () => {
  it('is good within a frame, fair within three, poor beyond, either side', () => {
    expect([0, 17, -17, 17.5, 50, -50, 50.1, -300].map(healthLevel)).toEqual([
      'good',
      'good',
      'good',
      'fair',
      'fair',
      'fair',
      'poor',
      'poor',
    ]);
  });
});

describe('shownHealth', () => {
  const health = { driftMs: 3, rttMs: 30, state: 'playing' as const, atServerTime: 1 };
  it('shows a report only for someone online with a video to follow', () => {
    expect(shownHealth(undefined)).toBeNull();
    expect(shownHealth(liveParticipant('m_a', 'a'))).toBeNull();
    expect(shownHealth(liveParticipant('m_a', 'a', { health }))).toBe(health);
    expect(shownHealth(liveParticipant('m_a', 'a', { health, online: false }))).toBeNull();
    expect(shownHealth(liveParticipant('m_a', 'a', { health: { ...health, state: 'idle' } }))).toBeNull();
  });
});

describe('bufferingText', () => {
  const notice = (waitingFor: string[], names: string[]) => ({
    waitingFor,
    names,
    policy: 'wait_then_continue' as const,
    waitUntilServerTime: null,
  });
  it('names who playback waits for, you first', () => {
    expect(bufferingText(null, 'm_me')).toBeNull();
    expect(bufferingText(notice([], []), 'm_me')).toBeNull();
    expect(bufferingText(notice(['m_alex'], ['Alex']), 'm_me')).toBe('Alex is buffering…');
    expect(bufferingText(notice(['m_me'], ['me']), 'm_me')).toBe('You are buffering…');
    expect(bufferingText(notice(['m_alex', 'm_me'], ['Alex', 'me']), 'm_me')).toBe('You and Alex are buffering…');
    expect(bufferingText(notice(['m_a', 'm_s', 'm_k'], ['Alex', 'Sam', 'Kim']), null)).toBe(
      'Alex, Sam and Kim are buffering…',
    );
  });
});

describe('removalState', () => {
  it('maps kicks, bans and the end of the room to their cards, with the owner’s reason', () => {
    expect(removalState({ reason: 'kicked', message: '', detail: ' spoilers ' })).toEqual({ kind: 'kicked', reason: 'spoilers' });
    expect(removalState({ reason: 'banned', message: '', detail: '' })).toEqual({ kind: 'banned', reason: '' });
    expect(removalState({ reason: 'room_ended', message: '', detail: '' })).toEqual({ kind: 'ended' });
    expect(removalState({ reason: 'signed_out', message: '', detail: '' })).toBeNull();
    expect(removalState({ reason: 'left', message: '', detail: '' })).toBeNull();
  });
});

describe('ownerAwayMessage', () => {
  it('says the server’s message, or a fallback when the phase says away but the notice was missed', () => {
    const live = fakeLive();
    expect(ownerAwayMessage(live.getSnapshot())).toBeNull();
    expect(
      ownerAwayMessage({ ...live.getSnapshot(), ownerAway: { ownerId: 'u_ann', sinceServerTime: 1, message: 'Gone a moment' } }),
    ).toBe('Gone a moment');
    expect(ownerAwayMessage({ ...live.getSnapshot(), room: liveRoomState({ phase: 'OWNER_AWAY' }) })).toBe(OWNER_AWAY_FALLBACK);
  });
});

describe('members keys', () => {
  it('match when the socket and the member list agree on who is in and in what role', () => {
    const members = [userMember('m_ann', ann, { role: 'owner', canControl: true }), userMember('m_bob', { id: 'u_bob', username: 'bob' })];
    const live = [liveParticipant('m_bob', 'bob'), liveParticipant('m_ann', 'ann', { role: 'owner', canControl: true })];
    expect(liveMembersKey(live)).toBe(restMembersKey(members));
    expect(liveMembersKey([...live, liveParticipant('m_new', 'new')])).not.toBe(restMembersKey(members));
    expect(liveMembersKey(live.map((p) => ({ ...p, role: 'member' as const })))).not.toBe(restMembersKey(members));
  });
});
