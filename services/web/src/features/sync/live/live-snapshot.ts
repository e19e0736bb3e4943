/**
 * The {@link LiveSnapshot} as a pure function of the frames the server sent: one reducer, so each
 * frame type's effect is tested without a socket.
 */
import type { ServerFrame } from '@/lib/protocol/v1.gen';

import type { LiveSnapshot } from './live-room';

export const INITIAL_LIVE_SNAPSHOT: LiveSnapshot = Object.freeze<LiveSnapshot>({
  connection: 'connecting',
  room: null,
  participants: [],
  buffering: null,
  ownerAway: null,
  offer: null,
  removed: null,
  ownerChanged: null,
  endReason: null,
});

/** The snapshot after `frame`; the same object when the frame changes nothing the UI shows. */
export function reduceLiveSnapshot(snapshot: LiveSnapshot, frame: ServerFrame): LiveSnapshot {
  switch (frame.type) {
    case 'room:state': {
      const room = frame.data;
      // The banner stays while the room is OWNER_AWAY, and goes as soon as it is not.
      return { ...snapshot, room, ownerAway: room.phase === 'OWNER_AWAY' ? snapshot.ownerAway : null };
    }
    case 'room:participants':
      return { ...snapshot, participants: frame.data.participants };
    case 'room:buffering':
      return { ...snapshot, buffering: frame.data };
    case 'room:owner_away':
      return { ...snapshot, ownerAway: frame.data };
    case 'room:offer_ownership':
      return { ...snapshot, offer: frame.data };
    case 'room:owner_changed': {
      const change = frame.data;
      // The `room:state` that follows says the same; until it comes the heartbeat and the
      // badges follow the new owner already.
      const room =
        snapshot.room === null
          ? null
          : { ...snapshot.room, ownerId: change.newOwnerId, ownerMemberId: change.newOwnerMemberId };
      return {
        ...snapshot,
        room,
        ownerChanged: change,
        ownerAway: null,
        // Taken back (by you, or by you in another tab): nothing left to offer.
        offer: change.reason === 'reclaimed' ? null : snapshot.offer,
      };
    }
    case 'room:removed':
      return { ...snapshot, removed: frame.data };
    default:
      return snapshot;
  }
}
