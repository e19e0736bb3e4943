/** Browser-side checks of the rules in docs/api/rooms.md; the room service has the final word. */

export const GUEST_NAME_MAX_LENGTH = 32;
export const ROOM_NAME_MAX_LENGTH = 60;
export const ROOM_PASSWORD_MIN_LENGTH = 4;
export const ROOM_PASSWORD_MAX_LENGTH = 128;
export const MIN_PARTICIPANTS = 2;
export const MAX_PARTICIPANTS = 5;
export const GRACE_SECONDS_MIN = 1;
export const GRACE_SECONDS_MAX = 120;

/** Characters as people count them (an emoji is one). */
const length = (value: string): number => Array.from(value).length;

export function guestNameError(name: string): string | undefined {
  const value = name.trim();
  if (value === '') return 'Enter the name the others will see.';
  if (length(value) > GUEST_NAME_MAX_LENGTH) return `Use at most ${GUEST_NAME_MAX_LENGTH} characters.`;
  return undefined;
}

export function roomNameError(name: string): string | undefined {
  const value = name.trim();
  if (value === '') return 'Give the room a name.';
  if (length(value) > ROOM_NAME_MAX_LENGTH) return `Use at most ${ROOM_NAME_MAX_LENGTH} characters.`;
  return undefined;
}

/** For a password being set on a room (joining sends whatever was typed). */
export function roomPasswordError(password: string): string | undefined {
  const count = length(password);
  if (count === 0) return 'Enter the new password.';
  if (count < ROOM_PASSWORD_MIN_LENGTH) return `Use at least ${ROOM_PASSWORD_MIN_LENGTH} characters.`;
  if (count > ROOM_PASSWORD_MAX_LENGTH) return `Use at most ${ROOM_PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}

/** The buffering grace as typed: a whole number of seconds, 1–120. */
export function graceSecondsError(value: string): string | undefined {
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (trimmed === '' || !/^\d+$/.test(trimmed) || seconds < GRACE_SECONDS_MIN || seconds > GRACE_SECONDS_MAX) {
    return `Enter a whole number of seconds from ${GRACE_SECONDS_MIN} to ${GRACE_SECONDS_MAX}.`;
  }
  return undefined;
}
