import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { LogIn } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormAlert } from '@/components/ui/form-alert';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import type { JoinFailure, JoinInput } from '@/features/room/hooks/use-room-membership';
import { guestNameError } from '@/features/room/lib/validation';
import { useValidatedForm, type FieldErrors } from '@/hooks/use-validated-form';

type JoinField = 'guestName' | 'password';

export interface LobbyJoinFormProps {
  hasPassword: boolean;
  /** Signed in: join as yourself. Else: sign in, or join as a guest. */
  signedInAs: string | null;
  /** `/login?next=/r/<code>`. */
  loginPath: string;
  onJoin: (input: JoinInput) => Promise<JoinFailure | null>;
  /** What was typed last time (back from the "full" state). */
  initialInput?: JoinInput | null;
  /** A failure to show at once (a retry from the "full" state that did not get in). */
  initialFailure?: JoinFailure | null;
}

/** The join part of the lobby. Every answer of `POST /join` lands on a field or above the form. */
export function LobbyJoinForm({
  hasPassword,
  signedInAs,
  loginPath,
  onJoin,
  initialInput,
  initialFailure,
}: LobbyJoinFormProps) {
  const asGuest = signedInAs === null;
  const [needsPassword, setNeedsPassword] = useState(hasPassword || initialFailure?.revealPassword === true);
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement | null>(null);
  const [focusPassword, setFocusPassword] = useState(false);

  const validate = useCallback(
    (values: Record<JoinField, string>): FieldErrors<JoinField> => {
      const errors: FieldErrors<JoinField> = {};
      const name = asGuest ? guestNameError(values.guestName) : undefined;
      if (name !== undefined) errors.guestName = name;
      if (needsPassword && values.password === '') errors.password = 'Enter the room password.';
      return errors;
    },
    [asGuest, needsPassword],
  );
  const form = useValidatedForm<JoinField>(
    { guestName: initialInput?.guestName ?? '', password: initialInput?.password ?? '' },
    validate,
  );
  const { setServerErrors } = form;

  // A summary read again may now say the room has a password.
  useEffect(() => {
    if (hasPassword) setNeedsPassword(true);
  }, [hasPassword]);

  // A revealed password field is focused once it is on screen.
  useEffect(() => {
    if (!focusPassword) return;
    passwordRef.current?.focus();
    setFocusPassword(false);
  }, [focusPassword]);

  const showFailure = useCallback(
    (failure: JoinFailure) => {
      if (failure.revealPassword) {
        setNeedsPassword(true);
        setFocusPassword(true);
      }
      if (failure.field === null) setFormError(failure.message);
      else setServerErrors({ [failure.field]: failure.message });
    },
    [setServerErrors],
  );

  const shownInitialFailure = useRef(false);
  useEffect(() => {
    if (initialFailure && !shownInitialFailure.current) {
      shownInitialFailure.current = true;
      showFailure(initialFailure);
    }
  }, [initialFailure, showFailure]);

  const submit = form.handleSubmit(async (values) => {
    setPending(true);
    setFormError(null);
    const failure = await onJoin({
      asGuest,
      guestName: asGuest ? values.guestName : '',
      password: needsPassword ? values.password : '',
    });
    // On success the lobby is gone; on a page-wide answer (full, banned) too.
    setPending(false);
    if (failure !== null) showFailure(failure);
  });

  const passwordField = form.field('password');
  const passwordInput = needsPassword && (
    <PasswordInput
      {...passwordField}
      ref={(element) => {
        passwordField.ref(element);
        passwordRef.current = element;
      }}
      label="Room password"
      autoComplete="off"
      data-testid="room-password"
      hint="The owner set a password for this room."
    />
  );

  return (
    <div className="flex flex-col gap-5">
      {asGuest && (
        <div className="flex flex-col gap-4">
          <h2 className="text-lg font-semibold tracking-tight text-fg">Join this room</h2>
          <Link to={loginPath} className={buttonStyles({ fullWidth: true })} data-testid="sign-in-to-join">
            <LogIn aria-hidden="true" className="h-4 w-4" />
            Sign in to join
          </Link>
          <p className="flex items-center gap-3 text-xs font-medium uppercase tracking-wider text-fg-subtle">
            <span aria-hidden="true" className="h-px flex-1 bg-line" />
            or continue as a guest
            <span aria-hidden="true" className="h-px flex-1 bg-line" />
          </p>
        </div>
      )}
      {!asGuest && (
        <div>
          <h2 className="text-lg font-semibold tracking-tight text-fg">Join this room</h2>
          <p className="mt-1 text-sm text-fg-muted">
            You join as <span className="font-semibold text-fg">{signedInAs}</span>.
          </p>
        </div>
      )}

      <form noValidate className="flex flex-col gap-4" aria-label="Join room" onSubmit={submit}>
        <FormAlert message={formError} />
        {asGuest && (
          <Input
            {...form.field('guestName')}
            label="Your name"
            autoComplete="nickname"
            data-testid="guest-name"
            hint="What the others in the room see. Up to 32 characters."
          />
        )}
        {passwordInput}
        <Button type="submit" variant={asGuest ? 'secondary' : 'primary'} fullWidth loading={pending} data-testid="join-room">
          {asGuest ? 'Join as guest' : 'Join room'}
        </Button>
      </form>
    </div>
  );
}
