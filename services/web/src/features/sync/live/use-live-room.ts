import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { createLiveRoom } from './create-live-room';
import type { LiveRoom, LiveRoomWithChat, LiveSnapshot } from './live-room';
import type { GetToken } from './room-socket';

/**
 * The live session of room `code` while `enabled` (the visitor is a member): created when it
 * becomes true, closed when it turns false, the code changes or the component unmounts. Null
 * meanwhile. `getToken` may change between renders; the latest one is used.
 */
export function useLiveRoom(code: string, getToken: GetToken, enabled: boolean): LiveRoomWithChat | null {
  const tokenRef = useRef(getToken);
  useEffect(() => {
    tokenRef.current = getToken;
  }, [getToken]);
  const [live, setLive] = useState<LiveRoomWithChat | null>(null);

  useEffect(() => {
    if (!enabled) return undefined;
    const room = createLiveRoom({ code, getToken: (options) => tokenRef.current(options) });
    setLive(room);
    return () => {
      room.close();
      setLive((current) => (current === room ? null : current));
    };
  }, [code, enabled]);

  return live;
}

const noSubscription = (): (() => void) => () => undefined;
const noSnapshot = (): null => null;

/** The live session's snapshot, re-rendering on every change (`useSyncExternalStore`). */
export function useLiveSnapshot(live: LiveRoom): LiveSnapshot;
export function useLiveSnapshot(live: LiveRoom | null): LiveSnapshot | null;
export function useLiveSnapshot(live: LiveRoom | null): LiveSnapshot | null {
  const subscribe = useCallback((listener: () => void) => (live === null ? noSubscription() : live.subscribe(listener)), [live]);
  const getSnapshot = useCallback(() => (live === null ? noSnapshot() : live.getSnapshot()), [live]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
