import type { FieldErrors } from '@/hooks/use-validated-form';

/**
 * Client-side checks only catch typos early; the auth service has the final word and its
 * problem details are shown as they come. The limits follow ASVS 5.0 V6.2: at least 8
 * characters (6.2.1) and long passphrases allowed (at least 64, 6.2.9).
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type LoginField = 'email' | 'password';
export type RegisterField = 'email' | 'username' | 'password' | 'confirmPassword';

function emailError(email: string): string | undefined {
  if (email.trim() === '') return 'Enter your email address.';
  if (!EMAIL_PATTERN.test(email.trim())) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function validateLogin(values: Record<LoginField, string>): FieldErrors<LoginField> {
  const errors: FieldErrors<LoginField> = {};
  const email = emailError(values.email);
  if (email) errors.email = email;
  if (values.password === '') errors.password = 'Enter your password.';
  return errors;
}

export function validateRegister(values: Record<RegisterField, string>): FieldErrors<RegisterField> {
  const errors: FieldErrors<RegisterField> = {};
  const email = emailError(values.email);
  if (email) errors.email = email;

  const username = values.username.trim();
  if (username === '') errors.username = 'Choose a username.';
  else if (!USERNAME_PATTERN.test(username))
    errors.username = 'Use 3–32 letters, digits, dots, dashes or underscores.';

  if (values.password === '') errors.password = 'Choose a password.';
  else if (values.password.length < PASSWORD_MIN_LENGTH)
    errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  else if (values.password.length > PASSWORD_MAX_LENGTH)
    errors.password = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;

  if (values.confirmPassword === '') errors.confirmPassword = 'Type the password again.';
  else if (values.confirmPassword !== values.password) errors.confirmPassword = 'The passwords do not match.';

  return errors;
}
