import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';

import type { Membership } from '@/features/room/api/rooms-api';
import {
  liveMembersKey,
  restMembersKey,
  roomDiffers,
  type RoomLiveSnapshot,
  type RoomLiveSource,
} from '@/features/room/lib/live';

const noSubscription = (): (() => void) => () => undefined;

/** The live session's snapshot (null without one), re-rendering on every change. */
export function useRoomLive(source: RoomLiveSource | null): RoomLiveSnapshot | null {
  const subscribe = useCallback(
    (listener: () => void) => (source === null ? noSubscription() : source.subscribe(listener)),
    [source],
  );
  const getSnapshot = useCallback(() => (source === null ? null : source.getSnapshot()), [source]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/**
 * Re-reads the membership when the socket shows what the member list does not have yet: someone
 * joined or left, ownership or a control grant moved (`room:participants`), or the room's name or
 * control mode changed (`room:state`). Once per differing list, so a REST answer that lags behind
 * the socket is not asked for again and again (the slow poll catches it up).
 */
export function useLiveMembershipSync(
  live: RoomLiveSnapshot | null,
  membership: Membership,
  refresh: () => Promise<void>,
): void {
  const participants = live?.participants ?? null;
  const liveRoom = live?.room ?? null;
  const { members, room } = membership;
  const askedFor = useRef<string | null>(null);
  const askedForRoom = useRef<object | null>(null);

  useEffect(() => {
    if (participants === null || participants.length === 0) return;
    const key = liveMembersKey(participants);
    if (key === restMembersKey(members) || key === askedFor.current) return;
    askedFor.current = key;
    void refresh();
  }, [participants, members, refresh]);

  useEffect(() => {
    if (liveRoom === null || liveRoom === askedForRoom.current || !roomDiffers(liveRoom, room)) return;
    askedForRoom.current = liveRoom;
    void refresh();
  }, [liveRoom, room, refresh]);
}
