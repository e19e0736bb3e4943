import type { BufferingPolicy, HandoverOrder, PlaybackControl, Room, RoomSettingsPatch } from '@/features/room/api/rooms-api';
import { graceSecondsError, roomNameError, roomPasswordError } from '@/features/room/lib/validation';
import type { ApiError } from '@/lib/http';

/** What to do with the room password on save. */
export type PasswordChange = 'keep' | 'set' | 'remove';

/** The owner's settings form; `formFromRoom` fills it from the room as it is now. */
export interface SettingsForm {
  name: string;
  maxParticipants: number;
  passwordChange: PasswordChange;
  /** The new password when `passwordChange` is `set`. */
  password: string;
  playbackControl: PlaybackControl;
  handoverEnabled: boolean;
  handoverOrder: HandoverOrder;
  delegateId: string | null;
  bufferingPolicy: BufferingPolicy;
  /** As typed; a whole number of seconds, 1–120. */
  graceSeconds: string;
}

export type SettingsField =
  | 'name'
  | 'maxParticipants'
  | 'password'
  | 'playbackControl'
  | 'handover'
  | 'delegateId'
  | 'bufferingPolicy'
  | 'graceSeconds';
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export function formFromRoom(room: Room): SettingsForm {
  return {
    name: room.name,
    maxParticipants: room.maxParticipants,
    passwordChange: 'keep',
    password: '',
    playbackControl: room.playbackControl,
    handoverEnabled: room.handover.enabled,
    handoverOrder: room.handover.order,
    delegateId: room.delegateId,
    bufferingPolicy: room.buffering.policy,
    graceSeconds: String(room.buffering.graceSeconds),
  };
}

/** The PATCH body: only what differs from the room (an empty object when nothing does). */
export function settingsPatch(room: Room, form: SettingsForm): RoomSettingsPatch {
  const patch: RoomSettingsPatch = {};
  const name = form.name.trim();
  if (name !== room.name) patch.name = name;
  if (form.maxParticipants !== room.maxParticipants) patch.maxParticipants = form.maxParticipants;
  if (form.passwordChange === 'set') patch.password = form.password;
  else if (form.passwordChange === 'remove' && room.hasPassword) patch.password = null;
  if (form.playbackControl !== room.playbackControl) patch.playbackControl = form.playbackControl;
  const handover: RoomSettingsPatch['handover'] = {};
  if (form.handoverEnabled !== room.handover.enabled) handover.enabled = form.handoverEnabled;
  if (form.handoverOrder !== room.handover.order) handover.order = form.handoverOrder;
  if (Object.keys(handover).length > 0) patch.handover = handover;
  if (form.delegateId !== room.delegateId) patch.delegateId = form.delegateId;
  const buffering: RoomSettingsPatch['buffering'] = {};
  if (form.bufferingPolicy !== room.buffering.policy) buffering.policy = form.bufferingPolicy;
  const grace = Number(form.graceSeconds.trim());
  if (form.graceSeconds.trim() !== '' && grace !== room.buffering.graceSeconds) buffering.graceSeconds = grace;
  if (Object.keys(buffering).length > 0) patch.buffering = buffering;
  return patch;
}

export function validateSettings(form: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {};
  const name = roomNameError(form.name);
  if (name !== undefined) errors.name = name;
  if (form.passwordChange === 'set') {
    const password = roomPasswordError(form.password);
    if (password !== undefined) errors.password = password;
  }
  const grace = graceSecondsError(form.graceSeconds);
  if (grace !== undefined) errors.graceSeconds = grace;
  return errors;
}

/** Request fields of `errors[]` (and codes) → the form field that shows them. */
const FIELD_OF: Readonly<Record<string, SettingsField>> = {
  name: 'name',
  maxParticipants: 'maxParticipants',
  password: 'password',
  playbackControl: 'playbackControl',
  handover: 'handover',
  'handover.enabled': 'handover',
  'handover.order': 'handover',
  delegateId: 'delegateId',
  buffering: 'bufferingPolicy',
  'buffering.policy': 'bufferingPolicy',
  'buffering.graceSeconds': 'graceSeconds',
};

/** Codes of a failed PATCH that belong to one field even when the problem names none. */
const CODE_FIELD: Readonly<Record<string, SettingsField>> = {
  below_seats_taken: 'maxParticipants',
  guest_cannot_own: 'delegateId',
  cannot_target_self: 'delegateId',
  member_not_found: 'delegateId',
};

const CODE_MESSAGE: Readonly<Record<string, string>> = {
  guest_cannot_own: 'Guests cannot take over a room; pick a signed-in member.',
  cannot_target_self: 'You are the owner already; pick someone else.',
  member_not_found: 'That member is no longer in the room.',
};

/**
 * A failed PATCH as messages on fields, plus whatever belongs to no field. Null when the error is
 * nothing a field can show (service down, rate limit, not the owner any more).
 */
export function settingsErrorsFrom(error: ApiError): { fields: SettingsErrors; other: string[] } | null {
  const fields: SettingsErrors = {};
  const other: string[] = [];
  for (const { field, message } of error.fieldErrors) {
    const target = FIELD_OF[field];
    if (target === undefined) other.push(message);
    else fields[target] ??= message;
  }
  const codeField = error.code === undefined ? undefined : CODE_FIELD[error.code];
  if (codeField !== undefined && fields[codeField] === undefined) {
    fields[codeField] = (error.code === undefined ? undefined : CODE_MESSAGE[error.code]) ?? error.userMessage;
  }
  if (Object.keys(fields).length === 0 && other.length === 0) {
    return error.status === 400 ? { fields, other: [error.userMessage] } : null;
  }
  return { fields, other };
}

/** Plain-words explanation of each playback control mode. */
export const PLAYBACK_CONTROL_OPTIONS: readonly { value: PlaybackControl; label: string; description: string }[] = [
  { value: 'owner_only', label: 'Only me', description: 'Only the owner can play, pause and seek.' },
  { value: 'all', label: 'Everyone', description: 'Anyone in the room can play, pause and seek.' },
  {
    value: 'selected',
    label: 'People I choose',
    description: 'The owner and the members you allow from the participant list.',
  },
];

export const BUFFERING_POLICY_OPTIONS: readonly { value: BufferingPolicy; label: string; description: string }[] = [
  {
    value: 'wait_then_continue',
    label: 'Wait a little',
    description: 'Pause while someone catches up, and go on without them after the wait below.',
  },
  { value: 'always_wait', label: 'Always wait', description: 'Pause until everyone can play again.' },
  { value: 'never_wait', label: 'Never wait', description: 'Keep playing; whoever is behind catches up.' },
];

export const HANDOVER_ORDER_OPTIONS: readonly { value: HandoverOrder; label: string; description: string }[] = [
  {
    value: 'join_order',
    label: 'Longest in the room',
    description: 'The signed-in member who has been here longest takes over.',
  },
  {
    value: 'explicit_delegate',
    label: 'A member I pick',
    description: 'Your delegate takes over; if they have left, the longest-present member does.',
  },
];
