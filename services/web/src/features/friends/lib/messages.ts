import { rateLimitMessage } from '@/lib/account-rules';
import type { ApiError } from '@/lib/api-client';

/** What went wrong with a friends action, in words, from the problem `code` (docs/api/auth.md). */
export function friendErrorMessage(error: ApiError): string {
  if (error.isRateLimited) return rateLimitMessage(error.retryAfter);
  if (error.isServiceUnavailable) return 'The friends service is not available right now. Please try again later.';
  switch (error.code) {
    case 'user_not_found':
      return 'There is no one with that username.';
    case 'already_friends':
      return 'You are already friends.';
    case 'request_exists':
      return 'A friend request between you is already waiting.';
    case 'cannot_friend_self':
      return 'You cannot add yourself as a friend.';
    case 'blocked':
      return 'You blocked this person. Unblock them first.';
    case 'request_not_found':
      return 'That request is no longer there.';
    case 'not_friends':
      return 'You are not friends any more.';
    case 'not_blocked':
      return 'This person is not blocked.';
    default:
      return error.userMessage;
  }
}

/** Errors that mean the list on screen is out of date: reload it. */
export function isStale(error: ApiError): boolean {
  return error.status === 404 || error.status === 409;
}
