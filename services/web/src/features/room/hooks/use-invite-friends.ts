import { useCallback, useEffect, useState } from 'react';

import { inviteFriend } from '@/features/room/api/rooms-api';
import type { InvitableFriend } from '@/features/room/lib/invites';
import { inviteErrorMessage } from '@/features/room/lib/messages';
import { ApiError } from '@/lib/http';

/** Reads the signed-in user's friends; the app passes the friends feature's `getFriends`. */
export type LoadFriends = (signal?: AbortSignal) => Promise<InvitableFriend[]>;

export type InviteStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'invited' }
  | { kind: 'failed'; message: string };

const IDLE: InviteStatus = { kind: 'idle' };

/** The invite dialog's data: the friends list (loaded while `active`) and each invite's outcome. */
export function useInviteFriends(code: string, loadFriends: LoadFriends, active: boolean) {
  const [friends, setFriends] = useState<InvitableFriend[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [statuses, setStatuses] = useState<Readonly<Record<string, InviteStatus>>>({});

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setError(null);
      try {
        const next = await loadFriends(signal);
        if (signal?.aborted) return;
        setFriends(next);
      } catch (caught) {
        if (signal?.aborted) return;
        setError(
          caught instanceof ApiError && !caught.isServiceUnavailable
            ? caught.userMessage
            : 'Your friends could not be loaded right now.',
        );
      }
    },
    [loadFriends],
  );

  useEffect(() => {
    if (!active) return undefined;
    const controller = new AbortController();
    void load(controller.signal);
    return () => {
      controller.abort();
    };
  }, [active, load]);

  const setStatus = (userId: string, status: InviteStatus): void => {
    setStatuses((current) => ({ ...current, [userId]: status }));
  };

  const invite = async (userId: string): Promise<void> => {
    setStatus(userId, { kind: 'pending' });
    try {
      await inviteFriend(code, userId);
      setStatus(userId, { kind: 'invited' });
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, null, 'Something went wrong.');
      setStatus(userId, { kind: 'failed', message: inviteErrorMessage(apiError) });
    }
  };

  return {
    friends,
    error,
    reload: load,
    invite,
    statusOf: (userId: string): InviteStatus => statuses[userId] ?? IDLE,
  };
}
