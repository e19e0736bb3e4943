import { useCallback, useEffect, useRef, useState } from 'react';

import { getRoomSummary, type RoomSummary } from '@/features/room/api/rooms-api';
import { ApiError } from '@/lib/http';

export interface RoomSummaryState {
  summary: RoomSummary | null;
  /** The last load failed (the previous summary, if any, is kept). */
  error: ApiError | null;
  loading: boolean;
  reload: () => Promise<void>;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
}

/** `GET /api/rooms/:code`: the public facts the lobby shows, loaded on mount and on `reload()`. */
export function useRoomSummary(code: string): RoomSummaryState {
  const [summary, setSummary] = useState<RoomSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const controller = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    try {
      const next = await getRoomSummary(code, current.signal);
      if (current.signal.aborted) return;
      setSummary(next);
      setError(null);
    } catch (caught) {
      if (current.signal.aborted) return;
      setError(toApiError(caught));
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, [code]);

  useEffect(() => {
    void reload();
    return () => {
      controller.current?.abort();
    };
  }, [reload]);

  return { summary, error, loading, reload };
}
