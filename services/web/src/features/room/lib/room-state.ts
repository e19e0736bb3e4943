import type { ApiError } from '@/lib/http';

/**
 * The page-wide outcomes that replace the lobby or the room view with a card of their own
 * (`data-testid="room-state"`, `data-state=<kind>`).
 */
export type RoomStateKind = 'not-found' | 'expired' | 'ended' | 'full' | 'banned' | 'kicked' | 'unavailable';

export interface RoomState {
  kind: RoomStateKind;
  /** The owner's reason for a kick or a ban ("" when none was given). */
  reason?: string;
  /** Seconds to wait, when the state came from a 429. */
  retryAfter?: number;
}

/** The owner's `reason` member of a kicked/banned problem document (docs/api/rooms.md), or "". */
export function removalReason(error: ApiError): string {
  const reason = error.problem?.reason;
  return typeof reason === 'string' ? reason.trim() : '';
}

const GONE: Readonly<Record<string, RoomStateKind>> = {
  room_not_found: 'not-found',
  room_expired: 'expired',
  room_ended: 'ended',
};

/**
 * The state an answer about the room itself puts the page in: the room is gone (404 with one of
 * the three gone codes), the visitor was removed (403 `kicked` / `banned`), the room is full
 * (409), or the room service is not there to answer. Null for everything else: those are answers
 * for a form or a toast, not for the whole page.
 */
export function roomStateFromError(error: ApiError): RoomState | null {
  const gone = error.status === 404 && error.code !== undefined ? GONE[error.code] : undefined;
  if (gone !== undefined) return { kind: gone };
  if (error.status === 403 && (error.code === 'kicked' || error.code === 'banned')) {
    return { kind: error.code, reason: removalReason(error) };
  }
  if (error.status === 409 && error.code === 'room_full') return { kind: 'full' };
  if (error.isServiceUnavailable) return { kind: 'unavailable' };
  return null;
}

/**
 * What a failed `GET /api/rooms/:code` shows: the gone states, else "unavailable" (with the wait
 * of a 429, which the brute-force rule gives after too many unknown codes).
 */
export function summaryState(error: ApiError): RoomState {
  const state = roomStateFromError(error);
  if (state !== null) return state;
  if (error.isRateLimited) return { kind: 'unavailable', retryAfter: error.retryAfter ?? 0 };
  return { kind: 'unavailable' };
}

/**
 * A member-path answer meaning "you are not (or no longer) in this room" with no more to say:
 * a 401 (a guest token that stopped working, a session that ended) or 403 `not_member`.
 * The visitor goes back to the lobby.
 */
export function isNotMember(error: ApiError): boolean {
  return error.status === 401 || (error.status === 403 && error.code === 'not_member');
}

/** States after which this tab's guest identity for the room is worthless. */
export function endsGuestSession(state: RoomState): boolean {
  return state.kind === 'kicked' || state.kind === 'banned' || state.kind === 'ended' || state.kind === 'expired' || state.kind === 'not-found';
}
