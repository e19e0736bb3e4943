import { describe, expect, it } from 'vitest';

import { inviteErrorMessage, roomErrorMessage, seatsLabel } from '@/features/room/lib/messages';
import { ApiError } from '@/lib/http';

const error = (status: number, code?: string, extra: Record<string, unknown> = {}) =>
  new ApiError(status, code === undefined ? null : { code, detail: `${code} detail`, ...extra }, 'failed');

describe('inviteErrorMessage', () => {
  it.each([
    [403, 'not_friends', 'You are not friends any more.'],
    [409, 'already_member', 'Already in the room.'],
    [503, 'dependency_unavailable', 'Invites cannot be checked right now. Try again soon.'],
    [502, undefined, 'The room service is not available. Try again soon.'],
    [400, 'cannot_target_self', 'cannot_target_self detail'],
  ])('%i %s → %s', (status, code, message) => {
    expect(inviteErrorMessage(error(status, code))).toBe(message);
  });

  it('says how long to wait after a 429', () => {
    expect(inviteErrorMessage(error(429, 'rate_limited', { retryAfter: 60 }))).toBe('Too many attempts, try again in 60 s.');
  });
});

describe('roomErrorMessage', () => {
  it('words the moderation codes', () => {
    expect(roomErrorMessage(error(403, 'owner_only'))).toMatch(/not the owner any more/);
    expect(roomErrorMessage(error(404, 'member_not_found'))).toBe('That person is no longer in the room.');
    expect(roomErrorMessage(error(400, 'guest_cannot_own'))).toMatch(/Guests cannot own a room/);
    expect(roomErrorMessage(new ApiError(0, null, 'offline'))).toMatch(/not available right now/);
  });
});

describe('seatsLabel', () => {
  it('counts seats', () => {
    expect(seatsLabel(2, 5)).toBe('2 of 5 seats taken');
  });
});
