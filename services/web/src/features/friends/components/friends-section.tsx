import type { ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { GlassPanel } from '@/components/ui/glass-panel';
import { cn } from '@/lib/cn';

export interface FriendsSectionProps {
  /** Used for the heading id (`<id>-title`), which takes focus when a row it held goes away. */
  id: string;
  title: string;
  icon: LucideIcon;
  description?: string;
  /** Shown as a badge next to the title once known. */
  count?: number;
  countTone?: 'neutral' | 'accent';
  className?: string;
  children: ReactNode;
}

/** A glass card with a heading, a count and its list. */
export function FriendsSection({
  id,
  title,
  icon: Icon,
  description,
  count,
  countTone = 'neutral',
  className,
  children,
}: FriendsSectionProps) {
  const titleId = `${id}-title`;
  return (
    <GlassPanel as="section" id={id} aria-labelledby={titleId} className={cn('rounded-2xl p-4 sm:p-6', className)}>
      <div className="flex items-center gap-2.5 px-2 sm:px-1">
        <Icon aria-hidden="true" className="h-5 w-5 shrink-0 text-accent-text" />
        <h2 id={titleId} tabIndex={-1} className="text-lg font-semibold tracking-tight text-fg focus:outline-none">
          {title}
        </h2>
        {count !== undefined && (
          <Badge variant={countTone === 'accent' && count > 0 ? 'accent' : 'neutral'} className="ml-auto">
            <span className="sr-only">{count === 1 ? '1 entry' : `${count} entries`}</span>
            <span aria-hidden="true">{count}</span>
          </Badge>
        )}
      </div>
      {description !== undefined && <p className="mt-1 px-2 text-sm text-fg-muted sm:px-1">{description}</p>}
      <div className="mt-3">{children}</div>
    </GlassPanel>
  );
}

/** What an empty list says. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-lg border border-dashed border-line px-4 py-5 text-center text-sm text-fg-subtle">{children}</p>
  );
}

/** Placeholder rows while the first load runs. */
export function ListSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div aria-hidden="true" className="flex flex-col gap-1">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="flex items-center gap-3 px-2 py-2.5 sm:px-3">
          <span className="h-10 w-10 shrink-0 animate-pulse rounded-full bg-fg/[0.08]" />
          <span className="flex flex-1 flex-col gap-1.5">
            <span className="h-3 w-28 animate-pulse rounded-full bg-fg/[0.08]" />
            <span className="h-2.5 w-16 animate-pulse rounded-full bg-fg/[0.06]" />
          </span>
        </div>
      ))}
    </div>
  );
}
