import { rateLimitMessage } from '@/lib/account-rules';
import type { ApiError } from '@/lib/http';

/** What went wrong with a room action (moderation, settings, leave), in words, from its `code`. */
export function roomErrorMessage(error: ApiError): string {
  if (error.isRateLimited) return rateLimitMessage(error.retryAfter);
  if (error.isServiceUnavailable) return 'The room service is not available right now. Please try again in a moment.';
  switch (error.code) {
    case 'owner_only':
      return 'Only the room owner can do that, and you are not the owner any more.';
    case 'member_not_found':
      return 'That person is no longer in the room.';
    case 'cannot_target_self':
      return 'You cannot do that to yourself.';
    case 'guest_cannot_own':
      return 'Guests cannot own a room. Pick a signed-in member.';
    case 'ban_not_found':
      return 'That ban was already lifted.';
    case 'not_member':
      return 'You are no longer in this room.';
    default:
      return error.userMessage;
  }
}

/** Why inviting a friend did not work. */
export function inviteErrorMessage(error: ApiError): string {
  if (error.isRateLimited) return rateLimitMessage(error.retryAfter);
  switch (error.code) {
    case 'not_friends':
      return 'You are not friends any more.';
    case 'already_member':
      return 'Already in the room.';
    case 'dependency_unavailable':
      return 'Invites cannot be checked right now. Try again soon.';
    default:
      if (error.isServiceUnavailable) return 'The room service is not available. Try again soon.';
      return error.userMessage;
  }
}

/** "3 of 5 seats taken". */
export function seatsLabel(taken: number, max: number): string {
  return `${taken} of ${max} seats taken`;
}
