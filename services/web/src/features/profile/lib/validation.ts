import { newPasswordError } from '@/lib/account-rules';
import type { FieldErrors } from '@/hooks/use-validated-form';

export type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';

export function validatePasswordChange(values: Record<PasswordField, string>): FieldErrors<PasswordField> {
  const errors: FieldErrors<PasswordField> = {};
  if (values.currentPassword === '') errors.currentPassword = 'Enter your current password.';
  const fresh = newPasswordError(values.newPassword);
  if (fresh) errors.newPassword = fresh;
  else if (values.newPassword === values.currentPassword)
    errors.newPassword = 'Choose a password different from the current one.';
  if (values.confirmPassword === '') errors.confirmPassword = 'Type the new password again.';
  else if (values.confirmPassword !== values.newPassword) errors.confirmPassword = 'The passwords do not match.';
  return errors;
}
