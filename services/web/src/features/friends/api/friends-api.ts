import { apiRequest } from '@/lib/api-client';
import type { PublicUser } from '@/lib/auth-types';

/** The friends endpoints of docs/api/auth.md; all of them need the access token. */

export interface Friend {
  user: PublicUser;
  online: boolean;
  since: string;
}

export interface FriendRequest {
  id: string;
  user: PublicUser;
  createdAt: string;
}

export interface BlockedUser {
  user: PublicUser;
  since: string;
}

export interface FriendsOverview {
  friends: Friend[];
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  blocked: BlockedUser[];
}

export type Relation = 'none' | 'friend' | 'incoming' | 'outgoing' | 'blocked';

export interface SearchResult {
  user: PublicUser;
  relation: Relation;
}

/** Shortest query the search accepts. */
export const SEARCH_MIN_LENGTH = 2;

export async function getFriends(signal?: AbortSignal): Promise<FriendsOverview> {
  const body = await apiRequest<Partial<FriendsOverview>>('/friends', { signal });
  return {
    friends: body.friends ?? [],
    incoming: body.incoming ?? [],
    outgoing: body.outgoing ?? [],
    blocked: body.blocked ?? [],
  };
}

export async function searchUsers(query: string, signal?: AbortSignal): Promise<SearchResult[]> {
  const body = await apiRequest<{ users?: SearchResult[] }>(`/friends/search?q=${encodeURIComponent(query)}`, {
    signal,
  });
  return body.users ?? [];
}

/** 201 `{request}` normally; 200 `{friend}` when they had already asked you (you are friends now). */
export type SendRequestResult = { request: FriendRequest } | { friend: Friend };

export function sendFriendRequest(username: string): Promise<SendRequestResult> {
  return apiRequest<SendRequestResult>('/friends/request', { method: 'POST', body: { username } });
}

export function acceptRequest(requestId: string): Promise<{ friend: Friend }> {
  return apiRequest<{ friend: Friend }>('/friends/accept', { method: 'POST', body: { requestId } });
}

export function declineRequest(requestId: string): Promise<null> {
  return apiRequest<null>('/friends/decline', { method: 'POST', body: { requestId } });
}

export function cancelRequest(requestId: string): Promise<null> {
  return apiRequest<null>(`/friends/requests/${encodeURIComponent(requestId)}`, { method: 'DELETE' });
}

export function removeFriend(userId: string): Promise<null> {
  return apiRequest<null>(`/friends/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}

export function blockUser(username: string): Promise<null> {
  return apiRequest<null>('/friends/block', { method: 'POST', body: { username } });
}

export function unblockUser(userId: string): Promise<null> {
  return apiRequest<null>(`/friends/block/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}
