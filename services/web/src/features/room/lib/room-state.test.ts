import { describe, expect, it } from 'vitest';

import { endsGuestSession, isNotMember, removalReason, roomStateFromError, summaryState } from '@/features/room/lib/room-state';
import { ApiError } from '@/lib/http';

const error = (status: number, code?: string, extra: Record<string, unknown> = {}) =>
  new ApiError(status, code === undefined ? null : { code, ...extra }, 'failed');

describe('roomStateFromError', () => {
  it.each([
    [404, 'room_not_found', 'not-found'],
    [404, 'room_expired', 'expired'],
    [404, 'room_ended', 'ended'],
    [409, 'room_full', 'full'],
  ])('%i %s → %s', (status, code, kind) => {
    expect(roomStateFromError(error(status, code))).toEqual({ kind });
  });

  it('carries the owner’s reason for a kick or a ban', () => {
    expect(roomStateFromError(error(403, 'kicked', { reason: 'spoilers' }))).toEqual({ kind: 'kicked', reason: 'spoilers' });
    expect(roomStateFromError(error(403, 'banned', { reason: '' }))).toEqual({ kind: 'banned', reason: '' });
    expect(roomStateFromError(error(403, 'banned'))).toEqual({ kind: 'banned', reason: '' });
  });

  it('says unavailable when the service is not there to answer', () => {
    expect(roomStateFromError(new ApiError(0, null, 'offline'))).toEqual({ kind: 'unavailable' });
    expect(roomStateFromError(error(503))).toEqual({ kind: 'unavailable' });
    expect(roomStateFromError(error(404))).toEqual({ kind: 'unavailable' });
  });

  it('leaves answers for a form alone', () => {
    expect(roomStateFromError(error(403, 'wrong_password'))).toBeNull();
    expect(roomStateFromError(error(401, 'password_required'))).toBeNull();
    expect(roomStateFromError(error(404, 'member_not_found'))).toBeNull();
    expect(roomStateFromError(error(429, 'rate_limited'))).toBeNull();
    expect(roomStateFromError(error(403, 'not_member'))).toBeNull();
  });
});

describe('summaryState', () => {
  it('turns a 429 into unavailable with its wait', () => {
    expect(summaryState(error(429, 'rate_limited', { retryAfter: 120 }))).toEqual({ kind: 'unavailable', retryAfter: 120 });
  });

  it('keeps the gone states', () => {
    expect(summaryState(error(404, 'room_expired'))).toEqual({ kind: 'expired' });
  });

  it('falls back to unavailable', () => {
    expect(summaryState(error(400, 'invalid_request'))).toEqual({ kind: 'unavailable' });
  });
});

describe('removalReason', () => {
  it('reads a string reason only', () => {
    expect(removalReason(error(403, 'kicked', { reason: '  too loud ' }))).toBe('too loud');
    expect(removalReason(error(403, 'kicked', { reason: 42 }))).toBe('');
  });
});

describe('isNotMember', () => {
  it('is true for a 401 and for 403 not_member', () => {
    expect(isNotMember(error(401, 'auth_required'))).toBe(true);
    expect(isNotMember(error(403, 'not_member'))).toBe(true);
    expect(isNotMember(error(403, 'kicked'))).toBe(false);
  });
});

describe('endsGuestSession', () => {
  it('is true when the guest can no longer use the token', () => {
    expect(endsGuestSession({ kind: 'kicked' })).toBe(true);
    expect(endsGuestSession({ kind: 'banned' })).toBe(true);
    expect(endsGuestSession({ kind: 'ended' })).toBe(true);
    expect(endsGuestSession({ kind: 'full' })).toBe(false);
    expect(endsGuestSession({ kind: 'unavailable' })).toBe(false);
  });
});
