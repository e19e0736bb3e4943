import { act } from '@testing-library/react';
import { vi } from 'vitest';

import type { RoomLiveSnapshot, RoomLiveSource } from '@/features/room/lib/live';
import type { Participant, RoomStateData } from '@/lib/protocol/v1.gen';

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
export function liveRoomState(patch: Partial<RoomStateData> = {}): RoomStateData {
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

/** A participant as `room:participants` lists them: online, no health report yet. */
export function liveParticipant(memberId: string, name: string, patch: Partial<Participant> = {}): Participant {
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
