import { describe, expect, it } from 'vitest';

import { guestNameError, roomNameError, roomPasswordError } from '@/features/room/lib/validation';

describe('guestNameError', () => {
  it.each([
    ['', 'Enter the name the others will see.'],
    ['   ', 'Enter the name the others will see.'],
    ['K', undefined],
    [' Kim ', undefined],
    ['x'.repeat(32), undefined],
    ['x'.repeat(33), 'Use at most 32 characters.'],
    ['🎬'.repeat(32), undefined],
  ])('%j → %j', (name, expected) => {
    expect(guestNameError(name)).toBe(expected);
  });
});

describe('roomNameError', () => {
  it('wants 1–60 characters after trimming', () => {
    expect(roomNameError(' ')).toBeDefined();
    expect(roomNameError('x'.repeat(60))).toBeUndefined();
    expect(roomNameError('x'.repeat(61))).toBeDefined();
  });
});

describe('roomPasswordError', () => {
  it('wants 4–128 characters', () => {
    expect(roomPasswordError('')).toBe('Enter the new password.');
    expect(roomPasswordError('abc')).toBe('Use at least 4 characters.');
    expect(roomPasswordError('abcd')).toBeUndefined();
    expect(roomPasswordError('x'.repeat(129))).toBe('Use at most 128 characters.');
  });
});
