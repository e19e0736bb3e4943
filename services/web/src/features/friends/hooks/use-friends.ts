import { useCallback, useEffect, useRef, useState } from 'react';

import { getFriends, type FriendsOverview } from '@/features/friends/api/friends-api';
import { usePageVisible } from '@/hooks/use-page-visible';
import { ApiError } from '@/lib/api-client';

/** How often the list (and so the online dots) is refreshed while the page is visible. */
export const FRIENDS_REFRESH_MS = 30_000;

export interface FriendsState {
  data: FriendsOverview | null;
  /** The last load failed (the previous data, if any, is kept). */
  error: ApiError | null;
  /** True during the first load only; later reloads happen in the background. */
  loading: boolean;
  reload: () => Promise<void>;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
}

/**
 * `GET /api/friends`, loaded on mount, every {@link FRIENDS_REFRESH_MS} while the page is
 * visible, at once when it becomes visible again, and on `reload()` after a change.
 */
export function useFriends(): FriendsState {
  const [data, setData] = useState<FriendsOverview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const visible = usePageVisible();
  const controller = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    try {
      const next = await getFriends(current.signal);
      if (current.signal.aborted) return;
      setData(next);
      setError(null);
    } catch (caught) {
      if (current.signal.aborted) return;
      setError(toApiError(caught));
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!visible) return undefined;
    void reload();
    const timer = setInterval(() => {
      void reload();
    }, FRIENDS_REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [visible, reload]);

  useEffect(
    () => () => {
      controller.current?.abort();
    },
    [],
  );

  return { data, error, loading, reload };
}
