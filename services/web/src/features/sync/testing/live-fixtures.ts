import type { Participant, RoomStateData } from '@/lib/protocol/v1.gen';
import { participantData, roomStateData } from '@/testing/room-fixtures';

/** A complete `room:state` payload: ann owns the room, and you are bob. */
export function roomState(patch: Partial<RoomStateData> = {}): RoomStateData {
  return roomStateData({ you: 'm_bob', canControl: false, ...patch });
}

/** A complete participant, online and in sync. */
export function participant(memberId: string, name: string, patch: Partial<Participant> = {}): Participant {
  return participantData(memberId, name, {
    health: { driftMs: 4, rttMs: 40, state: 'playing', atServerTime: 1 },
    ...patch,
  });
}
