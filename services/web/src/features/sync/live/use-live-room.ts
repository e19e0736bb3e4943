import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { createChatOutbox } from './chat-outbox';
import { createLiveRoom } from './create-live-room';
import type { LiveRoom, LiveRoomWithChat, LiveSnapshot } from './live-room';
import type { GetToken } from './room-socket';

export interface UseLiveRoomOptions {
  /**
   * The signed-in user the socket speaks for (null for a guest, who cannot send): their chat
   * messages not yet stored are kept in this browser across reloads, per user and room.
   */
  chatUserId?: string | null;
}

/**
 * The live session of room `code` while `enabled` (the visitor is a member): created when it
 * becomes true, closed when it turns false, the code or `chatUserId` changes, or the component
 * unmounts. Null meanwhile. `getToken` may change between renders; the latest one is used.
 */
export function useLiveRoom(
  code: string,
  getToken: GetToken,
  enabled: boolean,
  { chatUserId = null }: UseLiveRoomOptions = {},
): LiveRoomWithChat | null {
  const tokenRef = useRef(getToken);
  useEffect(() => {
    tokenRef.current = getToken;
  }, [getToken]);
  const [live, setLive] = useState<LiveRoomWithChat | null>(null);

  useEffect(() => {
    if (!enabled) return undefined;
    const room = createLiveRoom({
      code,
      getToken: (options) => tokenRef.current(options),
      chat: chatUserId === null ? undefined : { outbox: createChatOutbox({ roomCode: code, userId: chatUserId }) },
    });
    setLive(room);
    return () => {
      room.close();
      setLive((current) => (current === room ? null : current));
    };
  }, [code, enabled, chatUserId]);

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
