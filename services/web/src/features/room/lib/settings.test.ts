import { describe, expect, it } from 'vitest';

import { formFromRoom, settingsErrorsFrom, settingsPatch, validateSettings } from '@/features/room/lib/settings';
import { makeRoom } from '@/features/room/testing/fixtures';
import { ApiError } from '@/lib/http';

describe('settingsPatch', () => {
  const room = makeRoom({ hasPassword: true });

  it('is empty when nothing changed', () => {
    expect(settingsPatch(room, formFromRoom(room))).toEqual({});
  });

  it('has only the changed fields', () => {
    const form = { ...formFromRoom(room), name: '  Movie night ', maxParticipants: 3, playbackControl: 'all' as const };
    expect(settingsPatch(room, form)).toEqual({ name: 'Movie night', maxParticipants: 3, playbackControl: 'all' });
  });

  it('sets, keeps or removes the password', () => {
    expect(settingsPatch(room, { ...formFromRoom(room), passwordChange: 'set', password: 'hunter2' })).toEqual({
      password: 'hunter2',
    });
    expect(settingsPatch(room, { ...formFromRoom(room), passwordChange: 'remove' })).toEqual({ password: null });
    expect(settingsPatch(makeRoom(), { ...formFromRoom(makeRoom()), passwordChange: 'remove' })).toEqual({});
  });

  it('sends only the handover keys that changed, and the delegate', () => {
    const form = { ...formFromRoom(room), handoverOrder: 'explicit_delegate' as const, delegateId: 'm_bob' };
    expect(settingsPatch(room, form)).toEqual({ handover: { order: 'explicit_delegate' }, delegateId: 'm_bob' });
    expect(settingsPatch(room, { ...formFromRoom(room), handoverEnabled: false })).toEqual({ handover: { enabled: false } });
  });
});

describe('settingsPatch buffering', () => {
  const room = makeRoom();

  it('sends only the buffering fields that changed', () => {
    expect(settingsPatch(room, { ...formFromRoom(room), graceSeconds: ' 30 ' })).toEqual({ buffering: { graceSeconds: 30 } });
    expect(settingsPatch(room, { ...formFromRoom(room), bufferingPolicy: 'never_wait' })).toEqual({
      buffering: { policy: 'never_wait' },
    });
    expect(settingsPatch(room, { ...formFromRoom(room), graceSeconds: '10' })).toEqual({});
  });
});

describe('validateSettings', () => {
  it('checks the name and a new password', () => {
    const form = { ...formFromRoom(makeRoom()), name: '   ', passwordChange: 'set' as const, password: 'abc' };
    expect(validateSettings(form)).toEqual({ name: 'Give the room a name.', password: 'Use at least 4 characters.' });
    expect(validateSettings(formFromRoom(makeRoom()))).toEqual({});
  });

  it('wants a grace of 1–120 whole seconds', () => {
    const form = formFromRoom(makeRoom());
    for (const bad of ['', '0', '121', '2.5', 'ten']) {
      expect(validateSettings({ ...form, graceSeconds: bad }).graceSeconds).toBe(
        'Enter a whole number of seconds from 1 to 120.',
      );
    }
    expect(validateSettings({ ...form, graceSeconds: '120' })).toEqual({});
  });
});

describe('settingsErrorsFrom', () => {
  it('maps errors[] to fields, the rest to the form', () => {
    const error = new ApiError(
      400,
      {
        code: 'invalid_request',
        errors: [
          { field: 'name', message: 'too long' },
          { field: 'handover.order', message: 'choose one' },
          { field: 'buffering.graceSeconds', message: 'use 1 to 120' },
          { field: 'other', message: 'odd' },
        ],
      },
      'bad',
    );
    expect(settingsErrorsFrom(error)).toEqual({
      fields: { name: 'too long', handover: 'choose one', graceSeconds: 'use 1 to 120' },
      other: ['odd'],
    });
  });

  it('puts below_seats_taken on the seats', () => {
    const error = new ApiError(400, { code: 'below_seats_taken', detail: '3 people are in the room' }, 'bad');
    expect(settingsErrorsFrom(error)).toEqual({ fields: { maxParticipants: '3 people are in the room' }, other: [] });
  });

  it('puts delegate codes on the delegate', () => {
    const error = new ApiError(400, { code: 'guest_cannot_own' }, 'bad');
    expect(settingsErrorsFrom(error)?.fields.delegateId).toMatch(/Guests cannot/);
    expect(settingsErrorsFrom(new ApiError(404, { code: 'member_not_found' }, 'gone'))?.fields.delegateId).toMatch(
      /no longer in the room/,
    );
  });

  it('is null for what no field can show', () => {
    expect(settingsErrorsFrom(new ApiError(503, null, 'down'))).toBeNull();
    expect(settingsErrorsFrom(new ApiError(403, { code: 'owner_only' }, 'no'))).toBeNull();
  });
});
