import { useCallback, useEffect, useState } from 'react';

import { SEARCH_MIN_LENGTH, searchUsers, type SearchResult } from '@/features/friends/api/friends-api';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { ApiError } from '@/lib/api-client';

export const SEARCH_DEBOUNCE_MS = 300;

export type SearchStatus = 'idle' | 'loading' | 'done' | 'error';

export interface UserSearch {
  /** The query the results are for (trimmed, debounced). */
  query: string;
  status: SearchStatus;
  results: SearchResult[];
  error: ApiError | null;
  /** Runs the current query again (after adding or blocking someone). */
  rerun: () => void;
}

/**
 * Username search, `GET /api/friends/search?q=`: waits {@link SEARCH_DEBOUNCE_MS} after the last
 * keystroke, sends nothing under {@link SEARCH_MIN_LENGTH} characters, and drops answers to
 * queries that were typed over. `rerun()` refreshes the results of the same query quietly.
 */
export function useUserSearch(input: string): UserSearch {
  const query = useDebouncedValue(input.trim(), SEARCH_DEBOUNCE_MS);
  const [round, setRound] = useState(0);
  const [state, setState] = useState<Omit<UserSearch, 'query' | 'rerun'> & { resultsFor: string }>({
    status: 'idle',
    results: [],
    error: null,
    resultsFor: '',
  });
  const active = query.length >= SEARCH_MIN_LENGTH;

  useEffect(() => {
    if (!active) {
      setState({ status: 'idle', results: [], error: null, resultsFor: '' });
      return undefined;
    }
    const controller = new AbortController();
    // Running the same query again (after a change) updates the results in the background.
    setState((previous) =>
      previous.status === 'done' && previous.resultsFor === query ? previous : { ...previous, status: 'loading', error: null },
    );
    searchUsers(query, controller.signal).then(
      (results) => {
        if (!controller.signal.aborted) setState({ status: 'done', results, error: null, resultsFor: query });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
        setState({ status: 'error', results: [], error: apiError, resultsFor: query });
      },
    );
    return () => {
      controller.abort();
    };
  }, [query, active, round]);

  const rerun = useCallback(() => {
    setRound((value) => value + 1);
  }, []);

  return { query, status: state.status, results: state.results, error: state.error, rerun };
}
