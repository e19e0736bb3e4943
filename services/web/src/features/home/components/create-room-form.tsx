import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { ArrowRight } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import type { HandoverOrder, HomeRoomsApi, PlaybackControl } from '@/features/home/api/home-rooms';
import { RadioCardGroup, SegmentedControl, SwitchField } from '@/features/home/components/choice-fields';
import {
  asSentence,
  CREATE_ROOM_SERVER_FIELDS,
  createRoomErrors,
  DEFAULT_CREATE_ROOM_VALUES,
  defaultRoomName,
  PARTICIPANT_CHOICES,
  ROOM_NAME_MAX_LENGTH,
  ROOM_PASSWORD_MAX_LENGTH,
  ROOM_PASSWORD_MIN_LENGTH,
  roomLimitMessage,
  toNewRoom,
  type CreateRoomErrors,
  type CreateRoomField,
  type CreateRoomValues,
} from '@/features/home/lib/create-room-form';
import { describeFailure, useFormRequest } from '@/hooks/use-form-request';
import type { ApiError } from '@/lib/api-client';

const PARTICIPANT_OPTIONS = PARTICIPANT_CHOICES.map((count) => ({ value: count, label: String(count) }));

const PLAYBACK_OPTIONS = [
  { value: 'owner_only', title: 'Only me', description: 'You play, pause, seek and pick the video.' },
  { value: 'all', title: 'Everyone', description: 'Anyone in the room can play, pause and seek.' },
  {
    value: 'selected',
    title: 'People I choose',
    description: 'You, plus the people you hand the remote to once they are in.',
  },
] as const satisfies readonly { value: PlaybackControl; title: string; description: string }[];

const HANDOVER_OPTIONS = [
  { value: 'join_order', title: 'Longest-present member', description: 'Whoever has been in the room the longest.' },
  {
    value: 'explicit_delegate',
    title: 'Someone I pick later',
    description: 'Choose them in the room’s settings once they have joined.',
  },
] as const satisfies readonly { value: HandoverOrder; title: string; description: string }[];

/** Order in which the first invalid field takes focus. */
const FIELD_ORDER: readonly CreateRoomField[] = ['name', 'maxParticipants', 'password', 'playbackControl', 'handover'];

/** How a failed `POST /api/rooms` reads on the form. */
function describeCreateFailure(error: ApiError) {
  if (error.isRateLimited) return { formError: roomLimitMessage(error.retryAfter) };
  if (error.isServiceUnavailable) {
    return { formError: 'The room service is not available right now. Please try again in a moment.' };
  }
  const failure = describeFailure(error, CREATE_ROOM_SERVER_FIELDS);
  const fieldErrors: CreateRoomErrors = {};
  for (const [field, message] of Object.entries(failure.fieldErrors ?? {}) as [CreateRoomField, string][]) {
    fieldErrors[field] = asSentence(message);
  }
  return { ...failure, fieldErrors };
}

export interface CreateRoomFormProps {
  username: string;
  createRoom: HomeRoomsApi['createRoom'];
  onCreated: (code: string) => void;
  onCancel: () => void;
  /** Receives the name field, which takes the focus when the dialog opens. */
  nameRef?: RefObject<HTMLInputElement>;
}

/**
 * The settings of a new room: name, size, password, who controls playback and who takes over.
 * Mistakes show on their field on submit and then update as the person types; the service's own
 * per-field messages show the same way, and its 429 says when another room can be created.
 */
export function CreateRoomForm({ username, createRoom, onCreated, onCancel, nameRef }: CreateRoomFormProps) {
  const [values, setValues] = useState<CreateRoomValues>(DEFAULT_CREATE_ROOM_VALUES);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<CreateRoomErrors>({});
  const ownNameRef = useRef<HTMLInputElement>(null);
  const nameInput = nameRef ?? ownNameRef;
  const passwordRef = useRef<HTMLInputElement>(null);
  const participantsRef = useRef<HTMLInputElement>(null);
  const playbackRef = useRef<HTMLInputElement>(null);
  const handoverRef = useRef<HTMLInputElement>(null);

  const focusFirst = (errors: CreateRoomErrors): boolean => {
    const targets: Record<CreateRoomField, HTMLInputElement | null> = {
      name: nameInput.current,
      maxParticipants: participantsRef.current,
      password: passwordRef.current,
      playbackControl: playbackRef.current,
      handover: handoverRef.current,
    };
    const first = FIELD_ORDER.find((field) => errors[field] !== undefined);
    if (first === undefined) return false;
    targets[first]?.focus();
    return true;
  };

  const request = useFormRequest(createRoom, {
    onSuccess: (result) => {
      onCreated(result.room.code);
    },
    unavailableTitle: 'Could not create the room',
    fields: CREATE_ROOM_SERVER_FIELDS,
    onFieldErrors: (found) => {
      setServerErrors(found);
      focusFirst(found);
    },
    describe: describeCreateFailure,
  });

  // Before the first submit nothing is flagged; after it, messages follow the typing.
  const clientErrors = submitted ? createRoomErrors(values) : {};
  const errors: CreateRoomErrors = { ...serverErrors, ...clientErrors };

  const change = <F extends keyof CreateRoomValues>(key: F, value: CreateRoomValues[F], field: CreateRoomField) => {
    setValues((current) => ({ ...current, [key]: value }));
    if (serverErrors[field] !== undefined) {
      setServerErrors(({ [field]: _edited, ...rest }) => rest);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (request.pending) return;
    setSubmitted(true);
    setServerErrors({});
    const found = createRoomErrors(values);
    if (focusFirst(found)) return;
    void request.submit(toNewRoom(values));
  };

  const placeholder = defaultRoomName(username);

  return (
    <form
      noValidate
      aria-label="Create a room"
      data-testid="create-room-form"
      className="flex flex-col gap-5"
      onSubmit={onSubmit}
    >
      <FormAlert message={request.formError} />

      <Input
        ref={nameInput}
        label="Room name"
        name="name"
        placeholder={placeholder}
        autoComplete="off"
        maxLength={ROOM_NAME_MAX_LENGTH * 2}
        hint={`Optional. Up to ${ROOM_NAME_MAX_LENGTH} characters; left empty, it is “${placeholder}”.`}
        error={errors.name ?? null}
        value={values.name}
        data-testid="room-name"
        onChange={(event) => {
          change('name', event.target.value, 'name');
        }}
      />

      <SegmentedControl
        legend="How many people, you included"
        name="maxParticipants"
        options={PARTICIPANT_OPTIONS}
        value={values.maxParticipants}
        testId="max-participants"
        checkedRef={participantsRef}
        error={errors.maxParticipants ?? null}
        onChange={(count) => {
          change('maxParticipants', count, 'maxParticipants');
        }}
      />

      <PasswordInput
        ref={passwordRef}
        label="Password"
        name="room-password"
        autoComplete="new-password"
        hint={`Optional. ${ROOM_PASSWORD_MIN_LENGTH}–${ROOM_PASSWORD_MAX_LENGTH} characters; people with the link will need it to join.`}
        error={errors.password ?? null}
        value={values.password}
        data-testid="room-password"
        onChange={(event) => {
          change('password', event.target.value, 'password');
        }}
      />

      <RadioCardGroup
        legend="Who controls playback"
        description="Play, pause, seek and changing the video."
        name="playbackControl"
        options={PLAYBACK_OPTIONS}
        value={values.playbackControl}
        testId="playback-control"
        checkedRef={playbackRef}
        error={errors.playbackControl ?? null}
        onChange={(control) => {
          change('playbackControl', control, 'playbackControl');
        }}
      />

      <div className="flex flex-col gap-3 rounded-lg border border-line bg-glass/30 p-3.5">
        <SwitchField
          label="If I drop out, hand the remote to the next person"
          description="So the party can go on while you are away."
          checked={values.handoverEnabled}
          testId="handover-enabled"
          inputRef={handoverRef}
          onChange={(enabled) => {
            change('handoverEnabled', enabled, 'handover');
          }}
        />
        <RadioCardGroup
          legend="Who is next"
          name="handoverOrder"
          options={HANDOVER_OPTIONS}
          value={values.handoverOrder}
          disabled={!values.handoverEnabled}
          testId="handover-order"
          error={errors.handover ?? null}
          columns
          onChange={(order) => {
            change('handoverOrder', order, 'handover');
          }}
        />
      </div>

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={request.pending} data-testid="create-room-submit">
          Create room
          <ArrowRight aria-hidden="true" className="h-4 w-4" />
        </Button>
      </div>
    </form>
  );
}
