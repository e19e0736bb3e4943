import { CalendarDays, Mail, UserRound } from 'lucide-react';
import type { LucideIcon } from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { GlassCard } from '@/components/ui/glass-panel';
import { formatMemberSince } from '@/features/profile/lib/format';
import type { User } from '@/lib/auth-types';

function Detail({ icon: Icon, term, children }: { icon: LucideIcon; term: string; children: string }) {
  return (
    <div className="flex min-w-0 items-start gap-3 rounded-lg border border-line bg-field/60 px-4 py-3">
      <Icon aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 text-fg-subtle" />
      <div className="min-w-0">
        <dt className="text-xs font-medium uppercase tracking-wide text-fg-subtle">{term}</dt>
        <dd className="mt-0.5 break-words text-sm font-medium text-fg">{children}</dd>
      </div>
    </div>
  );
}

/** Who you are: avatar initials, name, email, member since. */
export function ProfileOverview({ user }: { user: User }) {
  return (
    <GlassCard as="section" aria-labelledby="profile-title" intensity="strong">
      <div className="flex items-center gap-4 sm:gap-5">
        <Avatar name={user.username} size="xl" />
        <div className="min-w-0">
          <p className="text-sm font-medium text-fg-subtle">Your profile</p>
          <h1
            id="profile-title"
            className="truncate text-2xl font-bold tracking-tight text-fg sm:text-3xl"
            data-testid="profile-name"
          >
            {user.username}
          </h1>
        </div>
      </div>
      <dl className="mt-6 grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)_minmax(0,1fr)]">
        <Detail icon={UserRound} term="Username">
          {user.username}
        </Detail>
        <Detail icon={Mail} term="Email">
          {user.email}
        </Detail>
        <Detail icon={CalendarDays} term="Member since">
          {formatMemberSince(user.createdAt)}
        </Detail>
      </dl>
    </GlassCard>
  );
}
