import { describe, expect, it } from 'vitest';

import { loginPathFor, safeNextPath } from '@/features/auth/lib/next-path';
import { validateLogin, validateRegister } from '@/features/auth/lib/validation';

describe('validateLogin', () => {
  it('needs both fields', () => {
    expect(validateLogin({ login: ' ', password: '' })).toEqual({
      login: 'Enter your email or username.',
      password: 'Enter your password.',
    });
    expect(validateLogin({ login: 'ann', password: 'x' })).toEqual({});
  });
});

describe('validateRegister', () => {
  it('accepts a good account', () => {
    expect(validateRegister({ email: 'ann@example.com', username: 'ann', password: 'a passphrase' })).toEqual({});
  });

  it('reports each bad field', () => {
    expect(validateRegister({ email: 'x', username: 'a b', password: '1234567' })).toEqual({
      email: 'Enter an email address like name@example.com.',
      username: 'Use 3–32 letters, digits, dots, dashes or underscores.',
      password: 'Use at least 8 characters.',
    });
  });
});

describe('next paths', () => {
  it.each([
    [null, '/'],
    ['/friends', '/friends'],
    ['/profile?tab=1', '/profile?tab=1'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/\t/evil.example', '/'],
  ])('safeNextPath(%j) → %j', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it('builds a readable login path', () => {
    expect(loginPathFor('/profile')).toBe('/login?next=/profile');
    expect(loginPathFor('/friends?q=a&b')).toBe('/login?next=/friends%3Fq%3Da%26b');
  });
});
