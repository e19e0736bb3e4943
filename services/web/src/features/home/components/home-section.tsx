import type { ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { GlassPanel } from '@/components/ui/glass-panel';
import { cn } from '@/lib/cn';

export interface HomeSectionProps {
  /** The heading's id is `<id>-title`; it takes focus when the row that had it goes away. */
  id: string;
  title: string;
  icon: LucideIcon;
  description?: ReactNode;
  count?: number;
  /** Right of the heading: a small action such as "Try again". */
  action?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
}

/** A glass card with a heading, an optional count and its content. */
export function HomeSection({
  id,
  title,
  icon: Icon,
  description,
  count,
  action,
  testId,
  className,
  children,
}: HomeSectionProps) {
  const titleId = `${id}-title`;
  return (
    <GlassPanel
      as="section"
      id={id}
      aria-labelledby={titleId}
      data-testid={testId}
      className={cn('rounded-2xl p-4 sm:p-6', className)}
    >
      <div className="flex flex-wrap items-center gap-x-2.5 gap-y-2 px-1">
        <Icon aria-hidden="true" className="h-5 w-5 shrink-0 text-accent-text" />
        <h2 id={titleId} tabIndex={-1} className="text-lg font-semibold tracking-tight text-fg focus:outline-none">
          {title}
        </h2>
        {count !== undefined && (
          <Badge variant={count > 0 ? 'accent' : 'neutral'}>
            <span className="sr-only">{count === 1 ? '1 entry' : `${count} entries`}</span>
            <span aria-hidden="true">{count}</span>
          </Badge>
        )}
        {action !== undefined && <div className="ml-auto">{action}</div>}
      </div>
      {description !== undefined && <p className="mt-1 px-1 text-sm text-fg-muted">{description}</p>}
      <div className="mt-3">{children}</div>
    </GlassPanel>
  );
}

/** Placeholder rows while the first load runs. */
export function RowsSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div aria-hidden="true" className="flex flex-col gap-1">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="flex items-center gap-3 px-2 py-2.5 sm:px-3">
          <span className="h-10 w-10 shrink-0 animate-pulse rounded-md bg-fg/[0.08]" />
          <span className="flex flex-1 flex-col gap-1.5">
            <span className="h-3 w-36 max-w-full animate-pulse rounded-full bg-fg/[0.08]" />
            <span className="h-2.5 w-20 animate-pulse rounded-full bg-fg/[0.06]" />
          </span>
        </div>
      ))}
    </div>
  );
}
