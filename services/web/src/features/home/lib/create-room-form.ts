import type { HandoverOrder, NewRoom, PlaybackControl } from '@/features/home/api/home-rooms';
import { passwordLength } from '@/lib/account-rules';

/**
 * The room rules of docs/api/rooms.md, checked in the browser to catch mistakes before sending;
 * the room service has the final word and its per-field messages are shown as they come.
 * Lengths are counted in characters as people count them (code points), like the service does.
 */
export const ROOM_NAME_MAX_LENGTH = 60;
export const ROOM_PASSWORD_MIN_LENGTH = 4;
export const ROOM_PASSWORD_MAX_LENGTH = 128;
export const PARTICIPANT_CHOICES = [2, 3, 4, 5] as const;
/** Rooms one person may create per hour (the service's limit, quoted when it answers 429). */
export const ROOMS_PER_HOUR = 5;

export interface CreateRoomValues {
  /** As typed; blank means "use the default name". */
  name: string;
  maxParticipants: number;
  /** As typed (never trimmed); empty means no password. */
  password: string;
  playbackControl: PlaybackControl;
  handoverEnabled: boolean;
  handoverOrder: HandoverOrder;
}

export const DEFAULT_CREATE_ROOM_VALUES: CreateRoomValues = {
  name: '',
  maxParticipants: 5,
  password: '',
  playbackControl: 'owner_only',
  handoverEnabled: true,
  handoverOrder: 'join_order',
};

/** The parts of the form a message can be about. */
export type CreateRoomField = 'name' | 'maxParticipants' | 'password' | 'playbackControl' | 'handover';
export type CreateRoomErrors = Partial<Record<CreateRoomField, string>>;

/** The form field for each `errors[].field` the service may name. */
export const CREATE_ROOM_SERVER_FIELDS: Partial<Record<string, CreateRoomField>> = {
  name: 'name',
  maxParticipants: 'maxParticipants',
  password: 'password',
  playbackControl: 'playbackControl',
  handover: 'handover',
  'handover.enabled': 'handover',
  'handover.order': 'handover',
};

/** What the service names a room created without a name. */
export function defaultRoomName(username: string): string {
  return Array.from(`${username}'s room`).slice(0, ROOM_NAME_MAX_LENGTH).join('');
}

/** C0 controls and DEL: tabs, line breaks and the like, which the service refuses in a name. */
function hasControlCharacter(value: string): boolean {
  return Array.from(value).some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });
}

export function roomNameError(name: string): string | undefined {
  const value = name.trim();
  if (value === '') return undefined;
  const length = Array.from(value).length;
  if (length > ROOM_NAME_MAX_LENGTH) {
    return `Use at most ${ROOM_NAME_MAX_LENGTH} characters (this one has ${length}).`;
  }
  if (hasControlCharacter(value)) return 'Remove tabs, line breaks and other control characters.';
  return undefined;
}

export function roomPasswordError(password: string): string | undefined {
  if (password === '') return undefined;
  const length = passwordLength(password);
  if (length < ROOM_PASSWORD_MIN_LENGTH) {
    return `Use at least ${ROOM_PASSWORD_MIN_LENGTH} characters, or leave it empty for an open room.`;
  }
  if (length > ROOM_PASSWORD_MAX_LENGTH) return `Use at most ${ROOM_PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}

/** Every broken rule, by field; empty when the form may be sent. */
export function createRoomErrors(values: CreateRoomValues): CreateRoomErrors {
  const errors: CreateRoomErrors = {};
  const name = roomNameError(values.name);
  if (name !== undefined) errors.name = name;
  if (!(PARTICIPANT_CHOICES as readonly number[]).includes(values.maxParticipants)) {
    errors.maxParticipants = `Choose ${PARTICIPANT_CHOICES[0]} to ${PARTICIPANT_CHOICES[PARTICIPANT_CHOICES.length - 1]} people.`;
  }
  const password = roomPasswordError(values.password);
  if (password !== undefined) errors.password = password;
  return errors;
}

/** The `POST /api/rooms` body: a blank name and an empty password are left out. */
export function toNewRoom(values: CreateRoomValues): NewRoom {
  const name = values.name.trim();
  return {
    ...(name === '' ? {} : { name }),
    maxParticipants: values.maxParticipants,
    ...(values.password === '' ? {} : { password: values.password }),
    playbackControl: values.playbackControl,
    handover: { enabled: values.handoverEnabled, order: values.handoverOrder },
  };
}

/** "45 seconds", "12 minutes", "2 hours": how long to wait, rounded up. */
export function formatWait(seconds: number): string {
  if (seconds < 60) {
    const whole = Math.max(1, Math.ceil(seconds));
    return whole === 1 ? '1 second' : `${whole} seconds`;
  }
  if (seconds < 3600) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  const hours = Math.ceil(seconds / 3600);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** The 429 of `POST /api/rooms`, with when to try again from its `retryAfter`. */
export function roomLimitMessage(retryAfter: number | undefined): string {
  const limit = `You can create ${ROOMS_PER_HOUR} rooms an hour.`;
  if (retryAfter === undefined || retryAfter <= 0) return `${limit} Try again in a moment.`;
  return `${limit} Try again in ${formatWait(retryAfter)}.`;
}

/** The service's messages start in lower case ("use at most 60 characters"); shown as a sentence. */
export function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
