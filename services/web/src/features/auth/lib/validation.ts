import { emailError, newPasswordError, usernameError } from '@/lib/account-rules';
import type { FieldErrors } from '@/hooks/use-validated-form';

export type LoginField = 'login' | 'password';
export type RegisterField = 'email' | 'username' | 'password';

export function validateLogin(values: Record<LoginField, string>): FieldErrors<LoginField> {
  const errors: FieldErrors<LoginField> = {};
  if (values.login.trim() === '') errors.login = 'Enter your email or username.';
  if (values.password === '') errors.password = 'Enter your password.';
  return errors;
}

export function validateRegister(values: Record<RegisterField, string>): FieldErrors<RegisterField> {
  const errors: FieldErrors<RegisterField> = {};
  const email = emailError(values.email);
  if (email) errors.email = email;
  const username = usernameError(values.username);
  if (username) errors.username = username;
  const password = newPasswordError(values.password);
  if (password) errors.password = password;
  return errors;
}
