import { Check, RefreshCw, Send } from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Spinner } from '@/components/ui/spinner';
import type { Member } from '@/features/room/api/rooms-api';
import { useInviteFriends, type InviteStatus, type LoadFriends } from '@/features/room/hooks/use-invite-friends';
import { invitableFriends, type InvitableFriend } from '@/features/room/lib/invites';

export interface InviteFriendsDialogProps {
  open: boolean;
  onClose: () => void;
  code: string;
  members: Member[];
  loadFriends: LoadFriends;
}

function InviteButton({ friend, status, onInvite }: { friend: InvitableFriend; status: InviteStatus; onInvite: () => void }) {
  if (status.kind === 'invited') {
    return (
      <span className="inline-flex h-9 items-center gap-1.5 px-2 text-sm font-semibold text-success-text" data-testid="invited">
        <Check aria-hidden="true" className="h-4 w-4" />
        Invited
      </span>
    );
  }
  return (
    <Button
      size="sm"
      variant="secondary"
      icon={<Send aria-hidden="true" className="h-4 w-4" />}
      loading={status.kind === 'pending'}
      aria-label={`Invite ${friend.user.username}`}
      data-testid="invite-friend"
      onClick={onInvite}
    >
      Invite
    </Button>
  );
}

/** The signed-in member's friends who are not here yet, online first, each with Invite. */
export function InviteFriendsDialog({ open, onClose, code, members, loadFriends }: InviteFriendsDialogProps) {
  const { friends, error, reload, invite, statusOf } = useInviteFriends(code, loadFriends, open);
  const candidates = friends === null ? null : invitableFriends(friends, members);

  let body;
  if (candidates === null && error === null) {
    body = (
      <div className="flex justify-center py-8">
        <Spinner label="Loading your friends…" className="text-accent-text" />
      </div>
    );
  } else if (candidates === null) {
    body = (
      <div role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-danger/30 bg-danger/10 p-4 text-sm text-danger-text">
        <p>{error}</p>
        <Button size="sm" variant="secondary" icon={<RefreshCw aria-hidden="true" className="h-4 w-4" />} onClick={() => void reload()}>
          Try again
        </Button>
      </div>
    );
  } else if (candidates.length === 0) {
    body = (
      <p className="rounded-lg border border-dashed border-line px-4 py-5 text-center text-sm text-fg-subtle">
        {friends?.length === 0
          ? 'You have no friends on SyncWatch yet. Add some on the Friends page, or share the invite link.'
          : 'All your friends are already here.'}
      </p>
    );
  } else {
    body = (
      <ul aria-label="Friends to invite" className="-mx-2 flex flex-col gap-0.5">
        {candidates.map((friend) => {
          const status = statusOf(friend.user.id);
          return (
            <li
              key={friend.user.id}
              data-testid="invite-friend-row"
              data-username={friend.user.username}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg px-2 py-2"
            >
              <Avatar name={friend.user.username} size="sm" online={friend.online} />
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-semibold text-fg">{friend.user.username}</p>
                <p className={friend.online ? 'text-xs font-medium text-success-text' : 'text-xs text-fg-subtle'}>
                  {friend.online ? 'Online' : 'Offline'}
                </p>
              </div>
              <InviteButton friend={friend} status={status} onInvite={() => void invite(friend.user.id)} />
              {status.kind === 'failed' && (
                <p role="alert" className="w-full pl-11 text-xs text-danger-text" data-testid="invite-error">
                  {status.message}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Invite friends"
      description="They get an invite to this room. The room’s password, if any, still applies."
    >
      <div data-testid="invite-friends">{body}</div>
    </Dialog>
  );
}
