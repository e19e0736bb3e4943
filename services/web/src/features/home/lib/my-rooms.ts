import type { MyRoomEntry } from '@/features/home/api/home-rooms';
import { timeAgo } from '@/lib/relative-time';

export interface GroupedRooms {
  /** Rooms you are in now, in the service's order (newest first). */
  live: MyRoomEntry[];
  /** Rooms you left or that ended, in the service's order (newest first); one entry per room, none you are back in. */
  history: MyRoomEntry[];
}

/**
 * Splits `GET /api/rooms` into the rooms you are in and your history. Someone who left a room
 * and came back has an earlier stay in the history too: a room you are in is not repeated there,
 * and of several past stays in one room only the first listed (the latest) is kept.
 */
export function groupMyRooms(entries: readonly MyRoomEntry[]): GroupedRooms {
  const live = entries.filter((entry) => entry.live);
  const seen = new Set(live.map((entry) => entry.room.code));
  const history: MyRoomEntry[] = [];
  for (const entry of entries) {
    if (entry.live || seen.has(entry.room.code)) continue;
    seen.add(entry.room.code);
    history.push(entry);
  }
  return { live, history };
}

/** "2/5" and its spoken form. */
export function seatsText(seatsTaken: number, maxParticipants: number): { short: string; long: string } {
  const full = seatsTaken >= maxParticipants;
  return {
    short: `${seatsTaken}/${maxParticipants}`,
    long: `${seatsTaken} of ${maxParticipants} seats taken${full ? ', full' : ''}`,
  };
}

export function isFull(room: { seatsTaken: number; maxParticipants: number }): boolean {
  return room.seatsTaken >= room.maxParticipants;
}

/** When a past stay ended: "Left 3 days ago", or "Ended" for a room that closed while you were in it. */
export function historyWhen(entry: MyRoomEntry, now: number = Date.now()): string {
  if (entry.leftAt !== null) {
    const ago = timeAgo(entry.leftAt, now);
    return ago === '' ? 'Left' : `Left ${ago}`;
  }
  const joined = timeAgo(entry.joinedAt, now);
  return joined === '' ? 'Ended' : `Ended · joined ${joined}`;
}
