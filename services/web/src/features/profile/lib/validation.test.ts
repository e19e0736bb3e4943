import { describe, expect, it } from 'vitest';

import { validatePasswordChange } from '@/features/profile/lib/validation';

describe('validatePasswordChange', () => {
  it('accepts a good change', () => {
    expect(
      validatePasswordChange({ currentPassword: 'old secret', newPassword: 'new secret', confirmPassword: 'new secret' }),
    ).toEqual({});
  });

  it('needs the current password, a valid new one and a matching confirmation', () => {
    expect(validatePasswordChange({ currentPassword: '', newPassword: 'short', confirmPassword: 'other' })).toEqual({
      currentPassword: 'Enter your current password.',
      newPassword: 'Use at least 8 characters.',
      confirmPassword: 'The passwords do not match.',
    });
  });

  it('refuses the same password again', () => {
    expect(
      validatePasswordChange({ currentPassword: 'same secret', newPassword: 'same secret', confirmPassword: 'same secret' })
        .newPassword,
    ).toBe('Choose a password different from the current one.');
  });
});
