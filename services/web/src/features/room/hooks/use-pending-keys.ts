import { useCallback, useState } from 'react';

/**
 * Keys of the requests running now (`kick:<memberId>`, `unban:<banId>`, …), so each button can
 * show its own spinner. `track` marks the key for the duration of the promise.
 */
export function usePendingKeys() {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());

  const track = useCallback(async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    setPending((current) => new Set(current).add(key));
    try {
      return await work();
    } finally {
      setPending((current) => {
        const next = new Set(current);
        next.delete(key);
        return next;
      });
    }
  }, []);

  const isPending = useCallback((key: string) => pending.has(key), [pending]);
  return { isPending, track };
}
