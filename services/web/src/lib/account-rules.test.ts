import { describe, expect, it } from 'vitest';

import {
  emailError,
  newPasswordError,
  passwordLength,
  passwordLengthHint,
  rateLimitMessage,
  usernameError,
} from '@/lib/account-rules';
import { initialsOf } from '@/lib/initials';

describe('account rules', () => {
  it('checks emails loosely', () => {
    expect(emailError('')).toBe('Enter your email address.');
    expect(emailError('ann')).toMatch(/name@example.com/);
    expect(emailError(' ann@example.com ')).toBeUndefined();
  });

  it.each([
    ['', 'Choose a username.'],
    ['ab', /3–32/],
    ['a'.repeat(33), /3–32/],
    ['ann lee', /3–32/],
    ['ann_lee.99-x', undefined],
  ])('username %j', (username, expected) => {
    const error = usernameError(username);
    if (expected === undefined) expect(error).toBeUndefined();
    else expect(error).toMatch(expected);
  });

  it('counts password characters, not UTF-16 units', () => {
    expect(passwordLength('😀'.repeat(8))).toBe(8);
    expect(newPasswordError('😀'.repeat(8))).toBeUndefined();
    expect(newPasswordError('😀'.repeat(7))).toBe('Use at least 8 characters.');
  });

  it('allows 8 to 128 characters, with no composition rules', () => {
    expect(newPasswordError('')).toBe('Choose a password.');
    expect(newPasswordError('aaaaaaaa')).toBeUndefined();
    expect(newPasswordError('a'.repeat(128))).toBeUndefined();
    expect(newPasswordError('a'.repeat(129))).toBe('Use at most 128 characters.');
  });

  it('gives a length hint', () => {
    expect(passwordLengthHint('')).toMatch(/^8–128 characters/);
    expect(passwordLengthHint('abcdef')).toBe('6 of at least 8 characters: 2 more to go.');
    expect(passwordLengthHint('a'.repeat(130))).toBe('130 characters: 2 over the limit.');
  });

  it('words a 429', () => {
    expect(rateLimitMessage(12)).toBe('Too many attempts, try again in 12 s.');
    expect(rateLimitMessage(undefined)).toBe('Too many attempts, try again in a moment.');
  });
});

describe('initialsOf', () => {
  it.each([
    ['ann', 'A'],
    ['ann_lee', 'AL'],
    ['bob.the-builder', 'BT'],
    ['ann_54764b41', 'A'],
    ['42_x', 'X'],
    ['42', '4'],
    ['élodie', 'É'],
    ['  ', '?'],
  ])('%j → %j', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});
