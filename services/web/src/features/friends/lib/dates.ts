export { timeAgo } from '@/lib/relative-time';

const absolute = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** "Nov 23, 2026" for an ISO timestamp; "" when it is not one. */
export function shortDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : absolute.format(time);
}
