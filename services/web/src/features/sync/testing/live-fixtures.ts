import type { Participant, RoomStateData } from '@/lib/protocol/v1.gen';

/** A complete `room:state` payload: ann owns the room, and you are bob. */
export function roomState(patch: Partial<RoomStateData> = {}): RoomStateData {
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
    you: 'm_bob',
    canControl: false,
    ...patch,
  };
}

/** A complete participant, online and in sync. */
export function participant(memberId: string, name: string, patch: Partial<Participant> = {}): Participant {
  return {
    memberId,
    name,
    kind: 'user',
    userId: `u_${name}`,
    role: 'member',
    canControl: false,
    online: true,
    buffering: false,
    health: { driftMs: 4, rttMs: 40, state: 'playing', atServerTime: 1 },
    ...patch,
  };
}
