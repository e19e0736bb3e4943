import { act } from '@testing-library/react';
import { vi } from 'vitest';

import type { RoomLiveSnapshot, RoomLiveSource } from '@/features/room/lib/live';
import { participantData, roomStateData } from '@/testing/room-fixtures';

/**
 * A live session for room page tests: the snapshot is set by the test (`update`, inside `act`),
 * as the sync feature's `LiveRoom` would set it from the socket's frames.
 */
export function fakeLive(initial: Partial<RoomLiveSnapshot> = {}) {
  let snapshot: RoomLiveSnapshot = {
    connection: 'open',
    endReason: null,
    room: null,
    participants: [],
    buffering: null,
    ownerAway: null,
    offer: null,
    removed: null,
    ownerChanged: null,
    ...initial,
  };
  const listeners = new Set<() => void>();
  const source = {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
    reclaimOwnership: vi.fn<() => Promise<void>>(() => Promise.resolve()),
    /** Replace parts of the snapshot and tell the page. */
    update(patch: Partial<RoomLiveSnapshot>): void {
      act(() => {
        snapshot = { ...snapshot, ...patch };
        for (const listener of [...listeners]) listener();
      });
    },
  } satisfies RoomLiveSource & Record<string, unknown>;
  return source;
}

/** A complete `room:state` payload (ann's room). */
export const liveRoomState = roomStateData;

/** A participant as `room:participants` lists them: online, no health report yet. */
export const liveParticipant = participantData;
