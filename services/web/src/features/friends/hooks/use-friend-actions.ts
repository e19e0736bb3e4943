import { useCallback, useState } from 'react';

import {
  acceptRequest,
  blockUser,
  cancelRequest,
  declineRequest,
  removeFriend,
  sendFriendRequest,
  unblockUser,
} from '@/features/friends/api/friends-api';
import { friendErrorMessage, isStale } from '@/features/friends/lib/messages';
import { ApiError } from '@/lib/api-client';
import type { PublicUser } from '@/lib/auth-types';
import { toast } from '@/stores/toast-store';

export interface FriendActions {
  /** Keys (`add:<userId>`, `accept:<requestId>`, …) of the actions running now. */
  pending: ReadonlySet<string>;
  isPending: (key: string) => boolean;
  add: (user: PublicUser) => Promise<boolean>;
  accept: (requestId: string, user: PublicUser) => Promise<boolean>;
  decline: (requestId: string, user: PublicUser) => Promise<boolean>;
  cancel: (requestId: string, user: PublicUser) => Promise<boolean>;
  remove: (user: PublicUser) => Promise<boolean>;
  block: (user: PublicUser) => Promise<boolean>;
  unblock: (user: PublicUser) => Promise<boolean>;
}

/**
 * The friends mutations, each with its pending flag, a toast saying what happened, and
 * `onChanged` (reload the list and the search) after success or a stale-state error. A successful
 * action resolves after that reload, so the row it changed has already moved when it does.
 */
export function useFriendActions(onChanged: () => Promise<void>): FriendActions {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());

  const run = useCallback(
    async (key: string, action: () => Promise<unknown>, success: () => void, failureTitle: string) => {
      setPending((current) => new Set(current).add(key));
      try {
        await action();
        success();
        await onChanged();
        return true;
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
        toast.error(failureTitle, friendErrorMessage(apiError));
        if (isStale(apiError)) void onChanged();
        return false;
      } finally {
        setPending((current) => {
          const next = new Set(current);
          next.delete(key);
          return next;
        });
      }
    },
    [onChanged],
  );

  return {
    pending,
    isPending: (key) => pending.has(key),
    add: (user) =>
      run(
        `add:${user.id}`,
        async () => {
          const result = await sendFriendRequest(user.username);
          if ('friend' in result) toast.success(`You and ${user.username} are now friends`);
          else toast.success('Friend request sent', `${user.username} will see it in their requests.`);
        },
        () => undefined,
        'Could not send the request',
      ),
    accept: (requestId, user) =>
      run(
        `accept:${requestId}`,
        () => acceptRequest(requestId),
        () => toast.success(`You and ${user.username} are now friends`),
        'Could not accept the request',
      ),
    decline: (requestId, user) =>
      run(
        `decline:${requestId}`,
        () => declineRequest(requestId),
        () => toast.info('Request declined', `The request from ${user.username} is gone.`),
        'Could not decline the request',
      ),
    cancel: (requestId, user) =>
      run(
        `cancel:${requestId}`,
        () => cancelRequest(requestId),
        () => toast.info('Request cancelled', `Your request to ${user.username} was withdrawn.`),
        'Could not cancel the request',
      ),
    remove: (user) =>
      run(
        `remove:${user.id}`,
        () => removeFriend(user.id),
        () => toast.info(`${user.username} removed from your friends`),
        'Could not remove the friend',
      ),
    block: (user) =>
      run(
        `block:${user.id}`,
        () => blockUser(user.username),
        () => toast.info(`${user.username} is blocked`, 'They can no longer find you or send you requests.'),
        'Could not block',
      ),
    unblock: (user) =>
      run(
        `unblock:${user.id}`,
        () => unblockUser(user.id),
        () => toast.info(`${user.username} is unblocked`),
        'Could not unblock',
      ),
  };
}
