import { Ban, Check, MoreHorizontal, UserMinus, X } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { Menu } from '@/components/ui/menu';
import type { BlockedUser, Friend, FriendRequest } from '@/features/friends/api/friends-api';
import { EmptyState } from '@/features/friends/components/friends-section';
import { PersonRow } from '@/features/friends/components/person-row';
import type { FriendActions } from '@/features/friends/hooks/use-friend-actions';
import { shortDate, timeAgo } from '@/features/friends/lib/dates';
import type { PublicUser } from '@/lib/auth-types';

export function IncomingRequests({ requests, actions }: { requests: FriendRequest[]; actions: FriendActions }) {
  if (requests.length === 0) return <EmptyState>No one is waiting for an answer.</EmptyState>;
  return (
    <ul aria-label="Incoming requests">
      {requests.map((request) => (
        <PersonRow
          key={request.id}
          user={request.user}
          testId="incoming-request"
          stackActions
          detail={`Asked ${timeAgo(request.createdAt)}`}
          actions={
            <>
              <Button
                size="sm"
                icon={<Check aria-hidden="true" className="h-4 w-4" />}
                aria-label={`Accept friend request from ${request.user.username}`}
                data-testid="accept-request"
                loading={actions.isPending(`accept:${request.id}`)}
                disabled={actions.isPending(`decline:${request.id}`)}
                onClick={() => void actions.accept(request.id, request.user)}
              >
                Accept
              </Button>
              <Button
                size="sm"
                variant="secondary"
                aria-label={`Decline friend request from ${request.user.username}`}
                data-testid="decline-request"
                loading={actions.isPending(`decline:${request.id}`)}
                disabled={actions.isPending(`accept:${request.id}`)}
                onClick={() => void actions.decline(request.id, request.user)}
              >
                Decline
              </Button>
            </>
          }
        />
      ))}
    </ul>
  );
}

export function OutgoingRequests({ requests, actions }: { requests: FriendRequest[]; actions: FriendActions }) {
  if (requests.length === 0) return <EmptyState>No requests waiting on others.</EmptyState>;
  return (
    <ul aria-label="Sent requests">
      {requests.map((request) => (
        <PersonRow
          key={request.id}
          user={request.user}
          testId="outgoing-request"
          detail={`Sent ${timeAgo(request.createdAt)}`}
          actions={
            <Button
              size="sm"
              variant="secondary"
              icon={<X aria-hidden="true" className="h-4 w-4" />}
              aria-label={`Cancel friend request to ${request.user.username}`}
              data-testid="cancel-request"
              loading={actions.isPending(`cancel:${request.id}`)}
              onClick={() => void actions.cancel(request.id, request.user)}
            >
              Cancel
            </Button>
          }
        />
      ))}
    </ul>
  );
}

export interface FriendListProps {
  friends: Friend[];
  onRemove: (user: PublicUser) => void;
  onBlock: (user: PublicUser) => void;
}

/** Friends, online ones first, then by name. */
export function FriendList({ friends, onRemove, onBlock }: FriendListProps) {
  if (friends.length === 0) {
    return <EmptyState>No friends yet. Find people by their username above and add them.</EmptyState>;
  }
  const sorted = [...friends].sort(
    (a, b) => Number(b.online) - Number(a.online) || a.user.username.localeCompare(b.user.username),
  );
  return (
    <ul aria-label="Friends">
      {sorted.map((friend) => {
        const since = shortDate(friend.since);
        return (
          <PersonRow
            key={friend.user.id}
            user={friend.user}
            testId="friend-row"
            online={friend.online}
            detail={
              <>
                <span className={friend.online ? 'font-medium text-success-text' : undefined}>
                  {friend.online ? 'Online' : 'Offline'}
                </span>
                {since !== '' && <span className="hidden sm:inline"> · friends since {since}</span>}
              </>
            }
            actions={
              <Menu
                label={`Actions for ${friend.user.username}`}
                triggerLabel={`Actions for ${friend.user.username}`}
                triggerTestId="friend-actions"
                triggerClassName="h-9 w-9 text-fg-muted hover:bg-fg/[0.06] hover:text-fg"
                trigger={<MoreHorizontal aria-hidden="true" className="h-5 w-5" />}
                items={[
                  {
                    label: 'Remove friend',
                    icon: UserMinus,
                    testId: 'remove-friend',
                    onSelect: () => {
                      onRemove(friend.user);
                    },
                  },
                  {
                    label: 'Block',
                    icon: Ban,
                    tone: 'danger',
                    testId: 'block-user',
                    onSelect: () => {
                      onBlock(friend.user);
                    },
                  },
                ]}
              />
            }
          />
        );
      })}
    </ul>
  );
}

export function BlockedList({ blocked, actions }: { blocked: BlockedUser[]; actions: FriendActions }) {
  if (blocked.length === 0) return <EmptyState>You have not blocked anyone.</EmptyState>;
  return (
    <ul aria-label="Blocked people">
      {blocked.map((entry) => {
        const since = timeAgo(entry.since);
        return (
          <PersonRow
            key={entry.user.id}
            user={entry.user}
            testId="blocked-row"
            muted
            detail={since === '' ? 'Blocked' : `Blocked ${since}`}
            actions={
              <Button
                size="sm"
                variant="secondary"
                aria-label={`Unblock ${entry.user.username}`}
                data-testid="unblock-user"
                loading={actions.isPending(`unblock:${entry.user.id}`)}
                onClick={() => void actions.unblock(entry.user)}
              >
                Unblock
              </Button>
            }
          />
        );
      })}
    </ul>
  );
}
