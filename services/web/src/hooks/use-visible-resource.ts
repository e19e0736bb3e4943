import { useCallback, useEffect, useRef, useState } from 'react';

import { usePageVisible } from '@/hooks/use-page-visible';
import { ApiError } from '@/lib/api-client';

export interface VisibleResource<T> {
  data: T | null;
  /** The last load failed (the previous data, if any, is kept). */
  error: ApiError | null;
  /** True until the first load has finished; later reloads happen in the background. */
  loading: boolean;
  reload: () => Promise<void>;
  /** Changes the data on screen at once (e.g. drops a dismissed row before the reload answers). */
  update: (change: (current: T) => T) => void;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
}

/**
 * Something loaded from the API while the page is visible: on mount, at once when the tab comes
 * back to the foreground, every `refreshMs` in between (null: no polling), and on `reload()`.
 * A newer load cancels an older one, so a slow answer never overwrites a fresher one.
 */
export function useVisibleResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  refreshMs: number | null,
): VisibleResource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const visible = usePageVisible();
  const loadRef = useRef(load);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  const reload = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    try {
      const next = await loadRef.current(current.signal);
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
    if (refreshMs === null) return undefined;
    const timer = setInterval(() => {
      void reload();
    }, refreshMs);
    return () => {
      clearInterval(timer);
    };
  }, [visible, refreshMs, reload]);

  useEffect(
    () => () => {
      controller.current?.abort();
    },
    [],
  );

  const update = useCallback((change: (current: T) => T) => {
    setData((current) => (current === null ? current : change(current)));
  }, []);

  return { data, error, loading, reload, update };
}
