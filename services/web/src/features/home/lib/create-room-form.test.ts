import { describe, expect, it } from 'vitest';

import {
  asSentence,
  createRoomErrors,
  DEFAULT_CREATE_ROOM_VALUES,
  defaultRoomName,
  formatWait,
  roomLimitMessage,
  roomNameError,
  roomPasswordError,
  toNewRoom,
  type CreateRoomValues,
} from '@/features/home/lib/create-room-form';

const values = (overrides: Partial<CreateRoomValues> = {}): CreateRoomValues => ({
  ...DEFAULT_CREATE_ROOM_VALUES,
  ...overrides,
});

describe('room name', () => {
  it('may be left empty, or blank', () => {
    expect(roomNameError('')).toBeUndefined();
    expect(roomNameError('   ')).toBeUndefined();
  });

  it('allows 60 characters after trimming, counting an emoji as one', () => {
    expect(roomNameError(`  ${'a'.repeat(60)}  `)).toBeUndefined();
    expect(roomNameError('🎬'.repeat(60))).toBeUndefined();
    expect(roomNameError('a'.repeat(61))).toBe('Use at most 60 characters (this one has 61).');
  });

  it('refuses control characters inside the name', () => {
    expect(roomNameError('Friday\tfilm')).toMatch(/control characters/);
    expect(roomNameError('Friday\nfilm')).toMatch(/control characters/);
    expect(roomNameError('Friday film\n')).toBeUndefined();
  });

  it('defaults to "<username>\'s room", cut at 60 characters', () => {
    expect(defaultRoomName('ann')).toBe("ann's room");
    expect(Array.from(defaultRoomName('x'.repeat(58)))).toHaveLength(60);
  });
});

describe('room password', () => {
  it('is optional, else 4–128 characters as typed', () => {
    expect(roomPasswordError('')).toBeUndefined();
    expect(roomPasswordError('abc')).toMatch(/at least 4 characters/);
    expect(roomPasswordError('abcd')).toBeUndefined();
    expect(roomPasswordError('    ')).toBeUndefined();
    expect(roomPasswordError('x'.repeat(128))).toBeUndefined();
    expect(roomPasswordError('x'.repeat(129))).toBe('Use at most 128 characters.');
    expect(roomPasswordError('🔑🔑🔑')).toMatch(/at least 4/);
  });
});

describe('createRoomErrors', () => {
  it('passes the defaults', () => {
    expect(createRoomErrors(DEFAULT_CREATE_ROOM_VALUES)).toEqual({});
  });

  it('names each broken rule', () => {
    expect(createRoomErrors(values({ name: 'n'.repeat(61), password: 'abc', maxParticipants: 6 }))).toEqual({
      name: expect.stringMatching(/at most 60/) as string,
      password: expect.stringMatching(/at least 4/) as string,
      maxParticipants: 'Choose 2 to 5 people.',
    });
    expect(createRoomErrors(values({ maxParticipants: 1 }))).toHaveProperty('maxParticipants');
  });
});

describe('toNewRoom', () => {
  it('leaves out a blank name and an empty password', () => {
    expect(toNewRoom(values({ name: '   ' }))).toEqual({
      maxParticipants: 5,
      playbackControl: 'owner_only',
      handover: { enabled: true, order: 'join_order' },
    });
  });

  it('sends the trimmed name, the password as typed and every choice', () => {
    expect(
      toNewRoom(
        values({
          name: '  Friday film ',
          password: ' secret ',
          maxParticipants: 3,
          playbackControl: 'selected',
          handoverEnabled: false,
          handoverOrder: 'explicit_delegate',
        }),
      ),
    ).toEqual({
      name: 'Friday film',
      password: ' secret ',
      maxParticipants: 3,
      playbackControl: 'selected',
      handover: { enabled: false, order: 'explicit_delegate' },
    });
  });
});

describe('rate limit', () => {
  it('rounds the wait up to a unit people read', () => {
    expect(formatWait(0.2)).toBe('1 second');
    expect(formatWait(45)).toBe('45 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(61)).toBe('2 minutes');
    expect(formatWait(3599)).toBe('60 minutes');
    expect(formatWait(3600)).toBe('1 hour');
    expect(formatWait(7201)).toBe('3 hours');
  });

  it('says the limit and when to try again', () => {
    expect(roomLimitMessage(720)).toBe('You can create 5 rooms an hour. Try again in 12 minutes.');
    expect(roomLimitMessage(undefined)).toBe('You can create 5 rooms an hour. Try again in a moment.');
    expect(roomLimitMessage(0)).toBe('You can create 5 rooms an hour. Try again in a moment.');
  });
});

describe('asSentence', () => {
  it('capitalises and ends the service’s messages', () => {
    expect(asSentence('use at most 60 characters')).toBe('Use at most 60 characters.');
    expect(asSentence('Already fine.')).toBe('Already fine.');
    expect(asSentence('')).toBe('');
  });
});
