import type { Member, Room } from '@/features/room/api/rooms-api';
import type { RoomState } from '@/features/room/lib/room-state';
import type {
  BufferingNotice,
  OfferOwnership,
  OwnerAway,
  OwnerChanged,
  Participant,
  ParticipantHealth,
  Removed,
  RoomStateData,
} from '@/lib/protocol/v1.gen';

/**
 * The room's live session as the room page sees it: presence, buffering, ownership notices and
 * removals from the `/ws` socket. The session itself is the sync feature's `LiveRoom`, which the
 * route opens and hands in; this is the part of its shape the page reads (features do not import
 * each other), so a `LiveRoom` fits it as it is.
 */
export type LiveConnection = 'connecting' | 'open' | 'reconnecting' | 'closed';
export type LiveEnd = 'closed' | 'removed' | 'incompatible' | 'auth' | 'refused';

export interface RoomLiveSnapshot {
  connection: LiveConnection;
  endReason?: LiveEnd | null;
  room: RoomStateData | null;
  participants: Participant[];
  buffering: BufferingNotice | null;
  ownerAway: OwnerAway | null;
  offer: OfferOwnership | null;
  removed: Removed | null;
  ownerChanged: OwnerChanged | null;
}

export interface RoomLiveSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): RoomLiveSnapshot;
  reclaimOwnership(): Promise<void>;
}

/** Said when the room is OWNER_AWAY but this tab missed the notice (it joined afterwards). */
export const OWNER_AWAY_FALLBACK = 'The owner disconnected. Waiting for them to come back…';

/** What an owner-away banner says now, or null when the owner is not away. */
export function ownerAwayMessage(live: RoomLiveSnapshot): string | null {
  if (live.ownerAway !== null) return live.ownerAway.message || OWNER_AWAY_FALLBACK;
  return live.room?.phase === 'OWNER_AWAY' ? OWNER_AWAY_FALLBACK : null;
}

export type HealthLevel = 'good' | 'fair' | 'poor';

/** Drift within one frame at 60 fps is in sync; within three frames noticeable only to the keen. */
export const HEALTH_GOOD_MS = 17;
export const HEALTH_FAIR_MS = 50;

export function healthLevel(driftMs: number): HealthLevel {
  const drift = Math.abs(driftMs);
  if (drift <= HEALTH_GOOD_MS) return 'good';
  return drift <= HEALTH_FAIR_MS ? 'fair' : 'poor';
}

/** Whether a participant's health is worth showing: online, with a report, and a video to follow. */
export function shownHealth(participant: Participant | undefined): ParticipantHealth | null {
  if (participant === undefined || !participant.online || participant.health === null) return null;
  return participant.health.state === 'idle' ? null : participant.health;
}

export function presenceById(participants: readonly Participant[]): ReadonlyMap<string, Participant> {
  return new Map(participants.map((participant) => [participant.memberId, participant]));
}

/**
 * A key for who is in the room and in what role: when the socket's key differs from the member
 * list's, the list is stale (someone joined or left, ownership or a grant moved).
 */
export function liveMembersKey(participants: readonly Participant[]): string {
  return participants
    .map((p) => `${p.memberId}:${p.role}:${p.canControl ? 1 : 0}`)
    .sort()
    .join(',');
}

export function restMembersKey(members: readonly Member[]): string {
  return members
    .map((m) => `${m.id}:${m.role}:${m.canControl ? 1 : 0}`)
    .sort()
    .join(',');
}

/** Whether the socket's `room:state` shows settings the REST room does not have yet. */
export function roomDiffers(live: RoomStateData, room: Room): boolean {
  return live.name !== room.name || live.playbackControl !== room.playbackControl;
}

/**
 * "Alex is buffering…", "You and Alex are buffering…", "Alex, Sam and Kim are buffering…", or
 * null when nobody is.
 */
export function bufferingText(notice: BufferingNotice | null, you: string | null): string | null {
  if (notice === null || notice.names.length === 0) return null;
  const names = notice.names.map((name, index) => (you !== null && notice.waitingFor[index] === you ? 'You' : name));
  // "You" first reads better than "Alex and You".
  names.sort((a, b) => Number(b === 'You') - Number(a === 'You'));
  const [first] = names;
  if (names.length === 1 && first !== undefined) return `${first} ${first === 'You' ? 'are' : 'is'} buffering…`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''} are buffering…`;
}

/**
 * The page-wide state a `room:removed` means: the kicked and banned cards (with the owner's
 * reason) and the ended card. Null for the rest (`left` elsewhere, `signed_out`): a membership
 * read tells what to show then.
 */
export function removalState(removed: Removed): RoomState | null {
  switch (removed.reason) {
    case 'kicked':
    case 'banned':
      return { kind: removed.reason, reason: removed.detail.trim() };
    case 'room_ended':
      return { kind: 'ended' };
    default:
      return null;
  }
}
