import { useId } from 'react';
import { Ban, Check, Clock, Search, UserCheck, UserPlus } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Spinner } from '@/components/ui/spinner';
import { SEARCH_MIN_LENGTH, type Relation, type SearchResult } from '@/features/friends/api/friends-api';
import { EmptyState } from '@/features/friends/components/friends-section';
import { PersonRow } from '@/features/friends/components/person-row';
import type { FriendActions } from '@/features/friends/hooks/use-friend-actions';
import type { UserSearch } from '@/features/friends/hooks/use-user-search';
import { friendErrorMessage } from '@/features/friends/lib/messages';
import type { PublicUser } from '@/lib/auth-types';

const relationText: Record<Relation, string> = {
  none: 'Not connected yet',
  friend: 'Already your friend',
  incoming: 'Sent you a friend request',
  outgoing: 'Waiting for them to accept',
  blocked: 'You blocked them',
};

interface AddButtonProps {
  result: SearchResult;
  actions: FriendActions;
}

/** "Add friend", or what the relation makes of it (Accept, Requested, Friends, Blocked). */
function AddFriendButton({ result, actions }: AddButtonProps) {
  const { user, relation } = result;
  const common = { size: 'sm', 'data-testid': 'add-friend', 'data-relation': relation } as const;
  switch (relation) {
    case 'none':
      return (
        <Button
          {...common}
          icon={<UserPlus aria-hidden="true" className="h-4 w-4" />}
          aria-label={`Add friend ${user.username}`}
          loading={actions.isPending(`add:${user.id}`)}
          onClick={() => void actions.add(user)}
        >
          Add<span className="hidden sm:inline"> friend</span>
        </Button>
      );
    case 'incoming':
      // Sending a request to someone who asked you first makes you friends (200 {friend}).
      return (
        <Button
          {...common}
          icon={<Check aria-hidden="true" className="h-4 w-4" />}
          aria-label={`Accept friend request from ${user.username}`}
          loading={actions.isPending(`add:${user.id}`)}
          onClick={() => void actions.add(user)}
        >
          Accept
        </Button>
      );
    case 'outgoing':
      return (
        <Button {...common} variant="secondary" disabled icon={<Clock aria-hidden="true" className="h-4 w-4" />}>
          Requested
        </Button>
      );
    case 'friend':
      return (
        <Button {...common} variant="secondary" disabled icon={<UserCheck aria-hidden="true" className="h-4 w-4" />}>
          Friends
        </Button>
      );
    case 'blocked':
      return (
        <Button {...common} variant="secondary" disabled icon={<Ban aria-hidden="true" className="h-4 w-4" />}>
          Blocked
        </Button>
      );
  }
}

export interface FriendSearchProps {
  value: string;
  onChange: (value: string) => void;
  search: UserSearch;
  actions: FriendActions;
  onBlock: (user: PublicUser) => void;
}

/** Find people by username and add them. */
export function FriendSearch({ value, onChange, search, actions, onBlock }: FriendSearchProps) {
  const statusId = useId();
  const typed = value.trim();
  const tooShort = typed.length > 0 && typed.length < SEARCH_MIN_LENGTH;
  // The debounced query lags the input; until it catches up, the last answer is shown as stale.
  const settled = search.query === typed;

  let status = 'Type the start of a username.';
  if (tooShort) status = `Type at least ${SEARCH_MIN_LENGTH} characters.`;
  else if (search.status === 'done' && settled)
    status =
      search.results.length === 0
        ? `No one found for “${search.query}”.`
        : `${search.results.length} ${search.results.length === 1 ? 'person' : 'people'} found.`;
  else if (search.status === 'error' && search.error) status = friendErrorMessage(search.error);

  return (
    <div className="flex flex-col gap-3">
      <form
        role="search"
        aria-label="Find people"
        onSubmit={(event) => {
          event.preventDefault();
          search.rerun();
        }}
      >
        <Input
          label="Find people by username"
          type="search"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="search"
          placeholder="e.g. ann"
          value={value}
          data-testid="friend-search"
          aria-describedby={statusId}
          maxLength={64}
          className="[&::-webkit-search-cancel-button]:appearance-none"
          onChange={(event) => {
            onChange(event.target.value);
          }}
          endAdornment={
            <span className="pointer-events-none inline-flex h-9 w-9 items-center justify-center text-fg-subtle">
              {search.status === 'loading' || (!settled && !tooShort && typed.length > 0) ? (
                <Spinner size="sm" />
              ) : (
                <Search aria-hidden="true" className="h-4 w-4" />
              )}
            </span>
          }
        />
      </form>
      <p id={statusId} role="status" className="min-h-5 px-1 text-sm text-fg-subtle">
        {status}
      </p>
      {search.status === 'done' && search.results.length === 0 && settled && typed.length >= SEARCH_MIN_LENGTH && (
        <EmptyState>Check the spelling, or ask them for their exact username.</EmptyState>
      )}
      {search.results.length > 0 && typed.length >= SEARCH_MIN_LENGTH && (
        <ul aria-label="Search results" className={settled ? undefined : 'opacity-60 transition-opacity'}>
          {search.results.map((result) => (
            <PersonRow
              key={result.user.id}
              user={result.user}
              testId="friend-search-result"
              wrap={false}
              detail={relationText[result.relation]}
              actions={
                <>
                  <AddFriendButton result={result} actions={actions} />
                  {result.relation !== 'blocked' && (
                    <Button
                      variant="ghost"
                      size="icon"
                      className="h-9 w-9"
                      aria-label={`Block ${result.user.username}`}
                      title={`Block ${result.user.username}`}
                      data-testid="block-user"
                      onClick={() => {
                        onBlock(result.user);
                      }}
                    >
                      <Ban aria-hidden="true" className="h-4 w-4" />
                    </Button>
                  )}
                </>
              }
            />
          ))}
        </ul>
      )}
    </div>
  );
}
