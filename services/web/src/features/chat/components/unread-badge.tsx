import { cn } from '@/lib/cn';

/** The count of unread messages on a closed chat's button (nothing when there are none). */
export function UnreadBadge({ count, className }: { count: number; className?: string }) {
  if (count <= 0) return null;
  return (
    <span
      data-testid="chat-unread"
      className={cn('inline-flex min-w-[1.25rem] items-center justify-center rounded-full px-1.5 text-xs font-bold tabular-nums', className)}
    >
      {count > 99 ? '99+' : count}
    </span>
  );
}
