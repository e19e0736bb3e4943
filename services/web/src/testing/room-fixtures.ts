import type { Participant, RoomStateData } from '@/lib/protocol/v1.gen';

/** A complete `room:state` payload: ann's room, seen by ann (the owner) unless patched. */
export function roomStateData(patch: Partial<RoomStateData> = {}): RoomStateData {
  return {
    roomId: 'rm_1',
    code: 'K7QX2MPA',
    name: 'Friday film',
    ownerId: 'u_ann',
    ownerMemberId: 'm_ann',
    phase: 'PAUSED',
    playbackControl: 'owner_only',
    bufferingPolicy: 'wait_then_continue',
    bufferingGraceMs: 10_000,
    you: 'm_ann',
    canControl: true,
    ...patch,
  };
}

/** A participant as `room:participants` lists them: a signed-in member, online, no health report. */
export function participantData(memberId: string, name: string, patch: Partial<Participant> = {}): Participant {
  return {
    memberId,
    name,
    kind: 'user',
    userId: `u_${name}`,
    role: 'member',
    canControl: false,
    online: true,
    buffering: false,
    health: null,
    ...patch,
  };
}
