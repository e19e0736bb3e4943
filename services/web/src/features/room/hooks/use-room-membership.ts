import { useCallback, useEffect, useRef, useState } from 'react';

import {
  getMembership,
  joinRoom,
  leaveRoom,
  myRooms,
  renewGuestToken,
  type Membership,
  type Room,
} from '@/features/room/api/rooms-api';
import { clearGuestSession, guestTokenNeedsRenewal, readGuestSession } from '@/features/room/lib/guest-session';
import { roomErrorMessage } from '@/features/room/lib/messages';
import { endsGuestSession, isNotMember, roomStateFromError, type RoomState } from '@/features/room/lib/room-state';
import { usePageVisible } from '@/hooks/use-page-visible';
import { rateLimitMessage } from '@/lib/account-rules';
import { ApiError } from '@/lib/http';
import { useSessionStore, type SessionStatus } from '@/stores/session-store';
import { toast } from '@/stores/toast-store';

/** How often the member list is re-read while the page is visible and no live socket is open. */
export const ROOM_POLL_MS = 3_000;
/**
 * The same with the room's live socket open: it tells of changes as they happen (and asks for a
 * read when the participants differ), so the poll is only a fallback.
 */
export const ROOM_LIVE_POLL_MS = 15_000;

export interface RoomMembershipOptions {
  /** The room's live socket is open: poll every {@link ROOM_LIVE_POLL_MS} instead. */
  live?: boolean;
}

export type RoomView =
  | { kind: 'checking' }
  | { kind: 'lobby' }
  | { kind: 'member'; membership: Membership }
  | { kind: 'state'; state: RoomState };

export interface JoinInput {
  asGuest: boolean;
  guestName: string;
  password: string;
}

/** A join that did not get in, as the lobby form shows it: on a field, or above the form. */
export interface JoinFailure {
  field: 'password' | 'guestName' | null;
  message: string;
  /** The room turned out to have a password: show the field (and focus it). */
  revealPassword?: boolean;
}

export interface RoomMembership {
  view: RoomView;
  /** False while the last poll could not reach the room service (the view shows what it had). */
  connected: boolean;
  /** The failure to show in the lobby after a retry from the "full" state did not get in. */
  lobbyFailure: JoinFailure | null;
  /** What was last typed into the join form, so a return to the lobby keeps it. */
  lastJoin: JoinInput | null;
  join: (input: JoinInput) => Promise<JoinFailure | null>;
  /** From the "full" state: the same join again; back to the lobby when it fails otherwise. */
  retryJoin: () => Promise<void>;
  /** To the lobby (the "Join again" of the kicked state). */
  toLobby: () => void;
  /** Re-reads the membership now (after a change made here). */
  refresh: () => Promise<void>;
  /** Shows a room the server answered with (PATCH, ownership transfer) before the next poll. */
  applyRoom: (room: Room) => void;
  /** Leaves the room; resolves false when the server refused (a toast says why). */
  leave: () => Promise<boolean>;
  /** Shows a page-wide state now (the live socket said you were removed), without waiting for a poll. */
  showState: (state: RoomState) => void;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
}

/** A visit needs a membership check when there is someone to ask it as. */
function canAskMembership(code: string): boolean {
  return readGuestSession(code) !== null || useSessionStore.getState().status === 'signed-in';
}

/**
 * On arrival, whether a signed-in visitor (without a guest token here) is in the room, from the
 * list of their rooms. Asking `GET /members` straight away would answer a visitor who is not in
 * with a 403, which the browser reports as a console error on every plain visit of an invite link.
 */
async function userIsInRoom(code: string, signal: AbortSignal): Promise<boolean> {
  if (readGuestSession(code) !== null) return true;
  const rooms = await myRooms(signal);
  return rooms.some((entry) => entry.room.code === code && entry.leftAt === null && entry.live);
}

/** The join answers of docs/api/rooms.md that the form shows rather than the whole page. */
function joinFailure(error: ApiError): JoinFailure {
  if (error.status === 401 && error.code === 'password_required') {
    return { field: 'password', message: 'This room has a password. Enter it to join.', revealPassword: true };
  }
  if (error.status === 403 && error.code === 'wrong_password') {
    return { field: 'password', message: 'That password is not right.', revealPassword: true };
  }
  if (error.isRateLimited) return { field: null, message: rateLimitMessage(error.retryAfter) };
  const guestName = error.fieldError('guestName');
  if (guestName !== undefined) return { field: 'guestName', message: guestName };
  const password = error.fieldError('password');
  if (password !== undefined) return { field: 'password', message: password };
  if (error.isServiceUnavailable) {
    return { field: null, message: 'The room service is not available right now. Please try again in a moment.' };
  }
  return { field: null, message: error.userMessage };
}

/**
 * Whether the visitor is in the room, and what to show otherwise. On load (once the session is
 * known) the membership is asked for when the visitor is signed in or holds a guest token for the
 * room; then, while a member, it is polled every {@link ROOM_POLL_MS} ({@link ROOM_LIVE_POLL_MS}
 * with the live socket open) while the page is visible and at once on focus, renewing a guest token that has less than five minutes left. A poll that
 * answers kicked, banned or gone turns the page into that state (and forgets the guest token).
 */
export function useRoomMembership(
  code: string,
  sessionStatus: SessionStatus,
  { live = false }: RoomMembershipOptions = {},
): RoomMembership {
  const [view, setViewState] = useState<RoomView>({ kind: 'checking' });
  const viewRef = useRef<RoomView>(view);
  const setView = useCallback((next: RoomView) => {
    viewRef.current = next;
    setViewState(next);
  }, []);
  const [connected, setConnected] = useState(true);
  const [lobbyFailure, setLobbyFailure] = useState<JoinFailure | null>(null);
  const [lastJoin, setLastJoin] = useState<JoinInput | null>(null);
  const visible = usePageVisible();
  const controller = useRef<AbortController | null>(null);
  const lastFetchAt = useRef(0);
  /** Set once the visitor left: late answers must not bring the room back. */
  const left = useRef(false);
  /** A membership read is out. */
  const reading = useRef(false);

  const toState = useCallback(
    (state: RoomState) => {
      if (endsGuestSession(state)) clearGuestSession(code);
      setView({ kind: 'state', state });
    },
    [code, setView],
  );

  /**
   * `initial`: the check on arrival, where anything but a membership means "show the lobby".
   * `poll`: skipped while a read is still out (a slow server is not asked twice at once).
   * `refresh`: after a change made here; replaces a read that may have started before it.
   */
  const fetchMembership = useCallback(
    async (mode: 'initial' | 'poll' | 'refresh') => {
      const initial = mode === 'initial';
      if (left.current) return;
      if (mode === 'poll' && reading.current) return;
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      const hadGuest = readGuestSession(code) !== null;
      if (!canAskMembership(code)) {
        setView({ kind: 'lobby' });
        return;
      }
      lastFetchAt.current = Date.now();
      reading.current = true;
      try {
        if (initial && !(await userIsInRoom(code, current.signal))) {
          if (!current.signal.aborted) setView({ kind: 'lobby' });
          return;
        }
        if (guestTokenNeedsRenewal(readGuestSession(code))) {
          try {
            await renewGuestToken(code);
          } catch {
            // The membership read below tells what the failure meant.
          }
        }
        const membership = await getMembership(code, current.signal);
        if (current.signal.aborted || left.current) return;
        setView({ kind: 'member', membership });
        setConnected(true);
      } catch (caught) {
        if (current.signal.aborted || left.current) return;
        const error = toApiError(caught);
        const state = roomStateFromError(error);
        if (state !== null && state.kind !== 'unavailable') {
          toState(state);
        } else if (isNotMember(error)) {
          if (hadGuest) clearGuestSession(code);
          if (viewRef.current.kind === 'member') toast.info('You are no longer in this room');
          setView({ kind: 'lobby' });
        } else if (initial) {
          // The summary request tells whether the room service is there at all.
          setView({ kind: 'lobby' });
        } else {
          setConnected(false);
        }
      } finally {
        if (controller.current === current) reading.current = false;
      }
    },
    [code, toState, setView],
  );

  // The check on arrival, once it is known whether someone is signed in.
  useEffect(() => {
    if (sessionStatus === 'unknown') return undefined;
    left.current = false;
    void fetchMembership('initial');
    return () => {
      controller.current?.abort();
    };
  }, [sessionStatus, fetchMembership]);

  const isMember = view.kind === 'member';
  const pollMs = live ? ROOM_LIVE_POLL_MS : ROOM_POLL_MS;
  useEffect(() => {
    if (!isMember || !visible) return undefined;
    const poll = (): void => {
      void fetchMembership('poll');
    };
    // Back from the background (or the socket dropped): read at once rather than a period later.
    if (Date.now() - lastFetchAt.current >= pollMs) poll();
    const timer = window.setInterval(poll, pollMs);
    window.addEventListener('focus', poll);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', poll);
    };
  }, [isMember, visible, pollMs, fetchMembership]);

  const join = useCallback(
    async (input: JoinInput): Promise<JoinFailure | null> => {
      setLastJoin(input);
      setLobbyFailure(null);
      controller.current?.abort();
      try {
        const membership = await joinRoom(
          code,
          { password: input.password, guestName: input.guestName.trim() },
          input.asGuest,
        );
        lastFetchAt.current = Date.now();
        left.current = false;
        setConnected(true);
        setView({ kind: 'member', membership });
        return null;
      } catch (caught) {
        const error = toApiError(caught);
        const state = roomStateFromError(error);
        if (state !== null && state.kind !== 'unavailable') {
          toState(state);
          return null;
        }
        return joinFailure(error);
      }
    },
    [code, toState, setView],
  );

  const retryJoin = useCallback(async () => {
    if (lastJoin === null) {
      setView({ kind: 'lobby' });
      return;
    }
    const failure = await join(lastJoin);
    if (failure !== null) {
      setLobbyFailure(failure);
      setView({ kind: 'lobby' });
    }
  }, [join, lastJoin, setView]);

  const toLobby = useCallback(() => {
    setLobbyFailure(null);
    setView({ kind: 'lobby' });
  }, [setView]);

  const refresh = useCallback(() => fetchMembership('refresh'), [fetchMembership]);

  const applyRoom = useCallback(
    (room: Room) => {
      const previous = viewRef.current;
      if (previous.kind === 'member') setView({ kind: 'member', membership: { ...previous.membership, room } });
    },
    [setView],
  );

  const leave = useCallback(async () => {
    try {
      await leaveRoom(code);
    } catch (caught) {
      const error = toApiError(caught);
      // Already out (removed, or the room ended meanwhile): leaving is done either way.
      const gone = roomStateFromError(error);
      const alreadyOut = isNotMember(error) || (gone !== null && gone.kind !== 'unavailable');
      if (!alreadyOut) {
        toast.error('Could not leave the room', roomErrorMessage(error));
        return false;
      }
    }
    left.current = true;
    controller.current?.abort();
    clearGuestSession(code);
    return true;
  }, [code]);

  const showState = useCallback(
    (state: RoomState) => {
      // A read still out may have started before the removal: its answer must not bring the room back.
      controller.current?.abort();
      reading.current = false;
      toState(state);
    },
    [toState],
  );

  return { view, connected, lobbyFailure, lastJoin, join, retryJoin, toLobby, refresh, applyRoom, leave, showState };
}
