import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Power } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { deleteRoom, memberName, updateRoom, type Member, type Room } from '@/features/room/api/rooms-api';
import { RoomBans } from '@/features/room/components/room-bans';
import { ChoiceGroup, SelectField } from '@/features/room/components/settings-fields';
import { ownerCandidates } from '@/features/room/lib/members';
import { roomErrorMessage } from '@/features/room/lib/messages';
import { roomStateFromError } from '@/features/room/lib/room-state';
import {
  BUFFERING_POLICY_OPTIONS,
  HANDOVER_ORDER_OPTIONS,
  PLAYBACK_CONTROL_OPTIONS,
  formFromRoom,
  settingsErrorsFrom,
  settingsPatch,
  validateSettings,
  type PasswordChange,
  type SettingsErrors,
  type SettingsField,
  type SettingsForm,
} from '@/features/room/lib/settings';
import { GRACE_SECONDS_MAX, GRACE_SECONDS_MIN, MAX_PARTICIPANTS, MIN_PARTICIPANTS } from '@/features/room/lib/validation';
import { ApiError } from '@/lib/http';
import { toast } from '@/stores/toast-store';

export interface RoomSettingsDialogProps {
  open: boolean;
  onClose: () => void;
  room: Room;
  members: Member[];
  /** The room as the server saved it. */
  onSaved: (room: Room) => void;
  /** Re-read the membership (after a failure that may mean the page is out of date). */
  onStale: () => void;
  /** The room was ended here. */
  onEnded: () => void;
}

const SEAT_CHOICES = Array.from({ length: MAX_PARTICIPANTS - MIN_PARTICIPANTS + 1 }, (_, index) => ({
  value: MIN_PARTICIPANTS + index,
  label: String(MIN_PARTICIPANTS + index),
}));

const FIELD_ORDER: readonly SettingsField[] = [
  'name',
  'maxParticipants',
  'password',
  'playbackControl',
  'bufferingPolicy',
  'graceSeconds',
  'handover',
  'delegateId',
];

function passwordChoices(hasPassword: boolean) {
  return hasPassword
    ? [
        { value: 'keep' as const, label: 'Keep the current password' },
        { value: 'set' as const, label: 'Change the password' },
        { value: 'remove' as const, label: 'Remove the password', description: 'Anyone with the link can join.' },
      ]
    : [
        { value: 'keep' as const, label: 'No password', description: 'Anyone with the link can join.' },
        { value: 'set' as const, label: 'Set a password', description: 'People joining must enter it.' },
      ];
}

/**
 * The owner's settings: name, seats, password, who controls playback, handover; saving PATCHes
 * only what changed and shows the server's messages on their fields. Also the bans (with Unban)
 * and ending the room.
 */
export function RoomSettingsDialog({ open, onClose, room, members, onSaved, onStale, onEnded }: RoomSettingsDialogProps) {
  const [form, setForm] = useState<SettingsForm>(() => formFromRoom(room));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [ending, setEnding] = useState(false);
  const handoverId = useId();
  const keepRoomRef = useRef<HTMLButtonElement>(null);
  const endRoomRef = useRef<HTMLButtonElement>(null);
  const fieldRefs = useRef<Partial<Record<SettingsField, HTMLElement | null>>>({});
  const refFor = (field: SettingsField) => (element: HTMLElement | null) => {
    fieldRefs.current[field] = element;
  };

  // Every opening starts from the room as it is now.
  const roomRef = useRef(room);
  roomRef.current = room;
  useEffect(() => {
    if (!open) return;
    setForm(formFromRoom(roomRef.current));
    setErrors({});
    setFormError(null);
    setConfirmEnd(false);
  }, [open]);

  // The button that had focus goes away when the confirmation opens or closes: move focus along.
  const endConfirmShown = useRef(false);
  useEffect(() => {
    if (confirmEnd) keepRoomRef.current?.focus();
    else if (endConfirmShown.current) endRoomRef.current?.focus();
    endConfirmShown.current = confirmEnd;
  }, [confirmEnd]);

  const update = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K], field: SettingsField): void => {
    setForm((current) => ({ ...current, [key]: value }));
    if (errors[field] !== undefined) setErrors(({ [field]: _edited, ...rest }) => rest);
  };

  const showErrors = (found: SettingsErrors): void => {
    setErrors(found);
    const first = FIELD_ORDER.find((field) => found[field] !== undefined);
    if (first !== undefined) fieldRefs.current[first]?.focus();
  };

  const save = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setFormError(null);
    const found = validateSettings(form);
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    const patch = settingsPatch(room, form);
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    try {
      const answer = await updateRoom(room.code, patch);
      onSaved(answer.room);
      toast.success('Room settings saved');
      onClose();
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, null, 'Something went wrong.');
      const mapped = settingsErrorsFrom(error);
      if (mapped !== null) {
        showErrors(mapped.fields);
        setFormError(mapped.other.length > 0 ? mapped.other.join(' ') : null);
      } else {
        const state = roomStateFromError(error);
        if (state !== null && state.kind !== 'unavailable') {
          onClose();
        } else {
          setFormError(roomErrorMessage(error));
        }
        onStale();
      }
    } finally {
      setSaving(false);
    }
  };

  const endRoom = async (): Promise<void> => {
    setEnding(true);
    try {
      await deleteRoom(room.code);
      onEnded();
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, null, 'Something went wrong.');
      toast.error('Could not end the room', roomErrorMessage(error));
      onStale();
    } finally {
      setEnding(false);
    }
  };

  const candidates = ownerCandidates(members);
  const delegateOptions = [
    { value: '', label: 'Nobody picked yet' },
    ...candidates.map((member) => ({ value: member.id, label: memberName(member) })),
  ];
  const seatsTaken = members.length;

  return (
    <Dialog open={open} onClose={onClose} title="Room settings" className="max-w-lg">
      <div data-testid="room-settings" className="flex flex-col gap-6">
        <form noValidate aria-label="Room settings" className="flex flex-col gap-5" onSubmit={(event) => void save(event)}>
          <FormAlert message={formError} />
          <Input
            ref={refFor('name')}
            label="Room name"
            value={form.name}
            error={errors.name}
            autoComplete="off"
            data-testid="settings-name"
            onChange={(event) => {
              update('name', event.target.value, 'name');
            }}
          />
          <ChoiceGroup
            legend="Seats"
            name="maxParticipants"
            inline
            choices={SEAT_CHOICES}
            value={form.maxParticipants}
            error={errors.maxParticipants}
            hint={`Including you. ${seatsTaken} ${seatsTaken === 1 ? 'person is' : 'people are'} here now.`}
            testId="settings-seats"
            inputRef={refFor('maxParticipants')}
            onChange={(value) => {
              update('maxParticipants', value, 'maxParticipants');
            }}
          />
          <div className="flex flex-col gap-3">
            <ChoiceGroup<PasswordChange>
              legend="Password"
              name="passwordChange"
              choices={passwordChoices(room.hasPassword)}
              value={form.passwordChange}
              testId="settings-password-change"
              onChange={(value) => {
                update('passwordChange', value, 'password');
              }}
            />
            {form.passwordChange === 'set' && (
              <PasswordInput
                ref={refFor('password')}
                label={room.hasPassword ? 'New password' : 'Password'}
                value={form.password}
                error={errors.password}
                hint="4 to 128 characters."
                autoComplete="new-password"
                data-testid="settings-password"
                onChange={(event) => {
                  update('password', event.target.value, 'password');
                }}
              />
            )}
            {form.passwordChange !== 'set' && errors.password && (
              <p className="text-sm text-danger-text">{errors.password}</p>
            )}
          </div>
          <ChoiceGroup
            legend="Who controls playback"
            name="playbackControl"
            choices={PLAYBACK_CONTROL_OPTIONS}
            value={form.playbackControl}
            error={errors.playbackControl}
            testId="settings-playback"
            inputRef={refFor('playbackControl')}
            onChange={(value) => {
              update('playbackControl', value, 'playbackControl');
            }}
          />
          <div className="flex flex-col gap-3">
            <ChoiceGroup
              legend="When someone is buffering"
              name="bufferingPolicy"
              choices={BUFFERING_POLICY_OPTIONS}
              value={form.bufferingPolicy}
              error={errors.bufferingPolicy}
              testId="settings-buffering"
              inputRef={refFor('bufferingPolicy')}
              onChange={(value) => {
                update('bufferingPolicy', value, 'bufferingPolicy');
              }}
            />
            {form.bufferingPolicy === 'wait_then_continue' && (
              <Input
                ref={refFor('graceSeconds')}
                label="Wait for (seconds)"
                type="number"
                inputMode="numeric"
                min={GRACE_SECONDS_MIN}
                max={GRACE_SECONDS_MAX}
                value={form.graceSeconds}
                error={errors.graceSeconds}
                hint={`${GRACE_SECONDS_MIN} to ${GRACE_SECONDS_MAX} seconds.`}
                data-testid="settings-grace"
                onChange={(event) => {
                  update('graceSeconds', event.target.value, 'graceSeconds');
                }}
              />
            )}
          </div>
          <fieldset className="flex min-w-0 flex-col gap-3">
            <legend className="text-sm font-medium text-fg">When you leave</legend>
            <div className="flex items-start gap-3 text-sm">
              <input
                ref={refFor('handover')}
                id={handoverId}
                type="checkbox"
                checked={form.handoverEnabled}
                aria-describedby={`${handoverId}-hint`}
                data-testid="settings-handover"
                className="mt-0.5 h-4 w-4 shrink-0 cursor-pointer accent-accent"
                onChange={(event) => {
                  update('handoverEnabled', event.target.checked, 'handover');
                }}
              />
              <div>
                <label htmlFor={handoverId} className="block cursor-pointer font-semibold text-fg">
                  Hand the room over
                </label>
                <p id={`${handoverId}-hint`} className="text-xs text-fg-subtle">
                  A signed-in member becomes the owner. Without it, the room ends when you leave.
                </p>
              </div>
            </div>
            {errors.handover && <p className="text-sm text-danger-text">{errors.handover}</p>}
            {form.handoverEnabled && (
              <ChoiceGroup
                legend="Who takes over"
                name="handoverOrder"
                choices={HANDOVER_ORDER_OPTIONS}
                value={form.handoverOrder}
                testId="settings-handover-order"
                onChange={(value) => {
                  update('handoverOrder', value, 'handover');
                }}
              />
            )}
            {form.handoverEnabled && form.handoverOrder === 'explicit_delegate' && (
              <SelectField
                label="Delegate"
                value={form.delegateId ?? ''}
                options={delegateOptions}
                error={errors.delegateId}
                hint={candidates.length === 0 ? 'No other signed-in member is here yet; guests cannot own a room.' : undefined}
                testId="settings-delegate"
                selectRef={refFor('delegateId')}
                onChange={(value) => {
                  update('delegateId', value === '' ? null : value, 'delegateId');
                }}
              />
            )}
          </fieldset>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} data-testid="save-settings">
              Save changes
            </Button>
          </div>
        </form>

        <section aria-labelledby="bans-title" className="border-t border-line pt-5">
          <h3 id="bans-title" className="mb-2 text-base font-semibold text-fg">
            Bans
          </h3>
          <RoomBans code={room.code} active={open} />
        </section>

        <section aria-labelledby="end-room-title" className="border-t border-line pt-5">
          <h3 id="end-room-title" className="text-base font-semibold text-fg">
            End the room
          </h3>
          <p className="mt-1 text-sm text-fg-muted">Everyone is removed and the invite link stops working.</p>
          {confirmEnd ? (
            <div role="group" aria-label="Confirm ending the room" className="mt-3 flex flex-col gap-2 rounded-lg border border-danger/30 bg-danger/10 p-3 sm:flex-row sm:items-center">
              <p className="flex-1 text-sm font-medium text-danger-text">End the room for everyone now?</p>
              <div className="flex gap-2">
                <Button
                  ref={keepRoomRef}
                  size="sm"
                  variant="secondary"
                  onClick={() => {
                    setConfirmEnd(false);
                  }}
                >
                  Keep it
                </Button>
                <Button size="sm" variant="danger" loading={ending} data-testid="confirm-end-room" onClick={() => void endRoom()}>
                  End room
                </Button>
              </div>
            </div>
          ) : (
            <Button
              ref={endRoomRef}
              variant="danger"
              size="sm"
              className="mt-3"
              icon={<Power aria-hidden="true" className="h-4 w-4" />}
              data-testid="end-room"
              onClick={() => {
                setConfirmEnd(true);
              }}
            >
              End room…
            </Button>
          )}
        </section>
      </div>
    </Dialog>
  );
}
