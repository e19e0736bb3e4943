import type { ReactNode } from 'react';

import { Avatar } from '@/components/ui/avatar';
import type { PublicUser } from '@/lib/auth-types';
import { cn } from '@/lib/cn';

export interface PersonRowProps {
  user: PublicUser;
  testId: string;
  /** A second line under the name ("Online", "3 minutes ago"). */
  detail?: ReactNode;
  /** Presence dot on the avatar. */
  online?: boolean;
  actions?: ReactNode;
  muted?: boolean;
  /** Let the actions wrap under the name on narrow screens (else the name is truncated). */
  wrap?: boolean;
  /** On phones, put the actions on their own line under the name, sharing its width. */
  stackActions?: boolean;
}

/** One person in a list: avatar, name, a detail line, actions (which wrap under on narrow screens). */
export function PersonRow({
  user,
  testId,
  detail,
  online,
  actions,
  muted = false,
  wrap = true,
  stackActions = false,
}: PersonRowProps) {
  return (
    <li
      data-testid={testId}
      data-username={user.username}
      className={cn(
        'flex items-center gap-x-3 gap-y-2 rounded-lg px-2 py-2.5 transition-colors duration-fast hover:bg-fg/[0.035] sm:px-3',
        wrap && 'flex-wrap',
      )}
    >
      <Avatar name={user.username} online={online} className={cn(muted && 'opacity-60 grayscale')} />
      <div className="min-w-0 flex-1 basis-20">
        <p className={cn('truncate text-sm font-semibold', muted ? 'text-fg-muted' : 'text-fg')}>{user.username}</p>
        {detail !== undefined && <p className="truncate text-xs text-fg-subtle">{detail}</p>}
      </div>
      {actions !== undefined && (
        <div
          className={cn(
            'flex shrink-0 items-center gap-1.5 sm:gap-2',
            // 3.25rem: the avatar and the gap after it, so the buttons line up with the name.
            stackActions
              ? 'w-full pl-[3.25rem] sm:ml-auto sm:w-auto sm:pl-0 [&>*]:flex-1 sm:[&>*]:flex-none'
              : 'ml-auto',
          )}
        >
          {actions}
        </div>
      )}
    </li>
  );
}
