import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Inbox, RefreshCw, Send, ShieldBan, UserPlus, Users } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FriendSearch } from '@/features/friends/components/friend-search';
import {
  BlockedList,
  FriendList,
  IncomingRequests,
  OutgoingRequests,
} from '@/features/friends/components/friend-lists';
import { EmptyState, FriendsSection, ListSkeleton } from '@/features/friends/components/friends-section';
import { useFriendActions } from '@/features/friends/hooks/use-friend-actions';
import { useFriends } from '@/features/friends/hooks/use-friends';
import { useUserSearch } from '@/features/friends/hooks/use-user-search';
import { friendErrorMessage } from '@/features/friends/lib/messages';
import type { PublicUser } from '@/lib/auth-types';

interface Confirmation {
  kind: 'remove' | 'block';
  user: PublicUser;
  /** Kept after closing so the dialog's exit animation still shows the right name. */
  open: boolean;
}

const headingOf = (sectionId: string): HTMLElement | null => document.getElementById(`${sectionId}-title`);

/** When the focused row went away with the change, focus goes to its section's heading. */
function keepFocus(sectionId: string): void {
  const active = document.activeElement;
  if (active === null || active === document.body || !active.isConnected) headingOf(sectionId)?.focus();
}

/**
 * The friends screen: search and add, incoming requests (accept, decline), sent requests
 * (cancel), friends with presence (remove, block), blocked people (unblock). The list reloads
 * every 30 s while visible and after every change.
 */
export function FriendsPage() {
  const friends = useFriends();
  const [query, setQuery] = useState('');
  const search = useUserSearch(query);
  const { reload } = friends;
  const { rerun } = search;
  const onChanged = useCallback(() => reload(), [reload]);
  // Whenever the list is (re)loaded, after a change here or by the 30 s refresh, the search results
  // follow, so their buttons never offer what the list already shows as done.
  useEffect(() => {
    if (friends.data !== null) rerun();
  }, [friends.data, rerun]);
  const actions = useFriendActions(onChanged);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  const data = friends.data;
  const firstLoad = data === null && friends.loading;
  // Nothing loaded and the load failed: the lists say so rather than "empty".
  const unavailable = data === null && !friends.loading;
  const listBody = (rows: number, list: () => ReactNode): ReactNode => {
    if (firstLoad) return <ListSkeleton rows={rows} />;
    if (unavailable) return <EmptyState>Not loaded.</EmptyState>;
    return list();
  };
  const online = data?.friends.filter((friend) => friend.online).length ?? 0;

  const closeConfirmation = (): void => {
    setConfirmation((current) => (current === null ? null : { ...current, open: false }));
  };
  const confirm = async (): Promise<void> => {
    if (confirmation === null) return;
    const { kind, user } = confirmation;
    if (kind === 'remove') await actions.remove(user);
    else await actions.block(user);
    closeConfirmation();
  };
  const askRemove = (user: PublicUser): void => {
    setConfirmation({ kind: 'remove', user, open: true });
  };
  const askBlock = (user: PublicUser): void => {
    setConfirmation({ kind: 'block', user, open: true });
  };
  const pendingConfirmation =
    confirmation !== null && actions.isPending(`${confirmation.kind}:${confirmation.user.id}`);
  // Where focus goes when the dialog closes and the row it was opened from has gone.
  const afterConfirmation = (): HTMLElement | null =>
    headingOf(confirmation?.kind === 'block' ? 'blocked-list' : 'friends-list');


  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight text-fg sm:text-4xl">Friends</h1>
          <p className="mt-1.5 text-fg-muted">Find people, answer requests, and see who is around to watch.</p>
        </div>
        {data !== null && data.friends.length > 0 && (
          <Badge variant={online > 0 ? 'success' : 'neutral'}>
            <span
              aria-hidden="true"
              className={online > 0 ? 'h-2 w-2 rounded-full bg-success' : 'h-2 w-2 rounded-full bg-fg-subtle/60'}
            />
            {online} of {data.friends.length} online
          </Badge>
        )}
      </div>

      {unavailable && friends.error !== null && (
        <div
          role="alert"
          className="flex flex-col gap-3 rounded-xl border border-danger/30 bg-danger/10 p-4 text-sm text-danger-text sm:flex-row sm:items-center sm:justify-between"
        >
          <p>Your friends could not be loaded. {friendErrorMessage(friends.error)}</p>
          <Button
            size="sm"
            variant="secondary"
            icon={<RefreshCw aria-hidden="true" className="h-4 w-4" />}
            onClick={() => void friends.reload()}
          >
            Try again
          </Button>
        </div>
      )}

      {/* Phones: one column, requests right after the search. Desktop: two columns. */}
      <div className="flex flex-col gap-6 lg:grid lg:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)] lg:items-start">
        <div className="contents lg:flex lg:flex-col lg:gap-6">
          <FriendsSection id="find-people" title="Add friends" icon={UserPlus} className="order-1 lg:order-none">
            <FriendSearch value={query} onChange={setQuery} search={search} actions={actions} onBlock={askBlock} />
          </FriendsSection>
          <FriendsSection
            id="friends-list"
            title="Your friends"
            icon={Users}
            count={data?.friends.length}
            className="order-3 lg:order-none"
          >
            {listBody(3, () => (
              <FriendList friends={data?.friends ?? []} onRemove={askRemove} onBlock={askBlock} />
            ))}
          </FriendsSection>
        </div>
        <div className="contents lg:flex lg:flex-col lg:gap-6">
          <FriendsSection
            id="incoming-requests"
            title="Requests for you"
            icon={Inbox}
            count={data?.incoming.length}
            countTone="accent"
            className="order-2 lg:order-none"
          >
            {listBody(1, () => (
              <IncomingRequests
                requests={data?.incoming ?? []}
                actions={{
                  ...actions,
                  accept: async (id, user) => {
                    const done = await actions.accept(id, user);
                    if (done) keepFocus('incoming-requests');
                    return done;
                  },
                  decline: async (id, user) => {
                    const done = await actions.decline(id, user);
                    if (done) keepFocus('incoming-requests');
                    return done;
                  },
                }}
              />
            ))}
          </FriendsSection>
          <FriendsSection
            id="outgoing-requests"
            title="Sent requests"
            icon={Send}
            count={data?.outgoing.length}
            className="order-4 lg:order-none"
          >
            {listBody(1, () => (
              <OutgoingRequests requests={data?.outgoing ?? []} actions={actions} />
            ))}
          </FriendsSection>
          <FriendsSection
            id="blocked-list"
            title="Blocked"
            icon={ShieldBan}
            count={data?.blocked.length}
            className="order-5 lg:order-none"
          >
            {listBody(1, () => <BlockedList blocked={data?.blocked ?? []} actions={actions} />)}
          </FriendsSection>
        </div>
      </div>

      <ConfirmDialog
        open={confirmation?.open === true && confirmation.kind === 'remove'}
        title={`Remove ${confirmation?.user.username ?? ''} from your friends?`}
        description="You can send them a new request later."
        confirmLabel="Remove"
        tone="danger"
        pending={pendingConfirmation}
        fallbackFocus={afterConfirmation}
        onConfirm={() => void confirm()}
        onCancel={closeConfirmation}
      />
      <ConfirmDialog
        open={confirmation?.open === true && confirmation.kind === 'block'}
        title={`Block ${confirmation?.user.username ?? ''}?`}
        description="This ends your friendship and any request between you. They can no longer find you or send you requests. You can unblock them later."
        confirmLabel="Block"
        tone="danger"
        pending={pendingConfirmation}
        fallbackFocus={afterConfirmation}
        onConfirm={() => void confirm()}
        onCancel={closeConfirmation}
      />
    </div>
  );
}
