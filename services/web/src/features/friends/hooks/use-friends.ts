import { getFriends, type FriendsOverview } from '@/features/friends/api/friends-api';
import { useVisibleResource, type VisibleResource } from '@/hooks/use-visible-resource';

/** How often the list (and so the online dots) is refreshed while the page is visible. */
export const FRIENDS_REFRESH_MS = 30_000;

export type FriendsState = VisibleResource<FriendsOverview>;

/**
 * `GET /api/friends`, loaded on mount, every {@link FRIENDS_REFRESH_MS} while the page is
 * visible, at once when it becomes visible again, and on `reload()` after a change.
 */
export function useFriends(): FriendsState {
  return useVisibleResource(getFriends, FRIENDS_REFRESH_MS);
}
