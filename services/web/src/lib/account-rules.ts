/**
 * The account rules of docs/api/auth.md, checked in the browser only to catch typos early;
 * the auth service has the final word and its per-field messages are shown as they come.
 * Passwords follow ASVS 5.0 V6.2: at least 8 characters, long passphrases allowed, no
 * composition rules, compared exactly as typed (so never trimmed here).
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Length in characters as people count them: an emoji is one, not two UTF-16 units. */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

export function emailError(email: string): string | undefined {
  if (email.trim() === '') return 'Enter your email address.';
  if (!EMAIL_PATTERN.test(email.trim())) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function usernameError(username: string): string | undefined {
  const value = username.trim();
  if (value === '') return 'Choose a username.';
  if (!USERNAME_PATTERN.test(value)) return 'Use 3–32 letters, digits, dots, dashes or underscores.';
  return undefined;
}

/** For a password being chosen (register, new password). */
export function newPasswordError(password: string): string | undefined {
  if (password === '') return 'Choose a password.';
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}

/** The live hint under a new-password field. */
export function passwordLengthHint(password: string): string {
  const length = passwordLength(password);
  if (length === 0) return `${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters. A long passphrase is best.`;
  if (length < PASSWORD_MIN_LENGTH) {
    const missing = PASSWORD_MIN_LENGTH - length;
    return `${length} of at least ${PASSWORD_MIN_LENGTH} characters: ${missing} more to go.`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `${length} characters: ${length - PASSWORD_MAX_LENGTH} over the limit.`;
  return `${length} characters. Long enough.`;
}

/** "Too many attempts, try again in N s." from a 429's retryAfter. */
export function rateLimitMessage(retryAfter: number | undefined): string {
  return retryAfter === undefined || retryAfter <= 0
    ? 'Too many attempts, try again in a moment.'
    : `Too many attempts, try again in ${retryAfter} s.`;
}
