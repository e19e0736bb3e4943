import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { register } from '@/features/auth/api/auth-api';
import { validateRegister, type RegisterField } from '@/features/auth/lib/validation';
import { useFormRequest } from '@/hooks/use-form-request';
import { useValidatedForm } from '@/hooks/use-validated-form';
import { passwordLengthHint } from '@/lib/account-rules';
import { applySession } from '@/lib/session';
import { toast } from '@/stores/toast-store';

export function RegisterForm() {
  const navigate = useNavigate();
  const { field, values, handleSubmit, setServerErrors } = useValidatedForm(
    { email: '', username: '', password: '' },
    validateRegister,
  );
  const { submit, pending, formError } = useFormRequest(register, {
    unavailableTitle: 'Creating accounts is not available yet',
    fields: { email: 'email', username: 'username', password: 'password' } satisfies Record<string, RegisterField>,
    onFieldErrors: setServerErrors,
    describe: (error) => {
      if (error.code === 'email_taken')
        return { fieldErrors: { email: 'An account with this email already exists. Log in instead?' } };
      if (error.code === 'username_taken') return { fieldErrors: { username: 'That username is taken. Try another.' } };
      return undefined;
    },
    onSuccess: (session) => {
      applySession(session);
      toast.success('Account created', `Welcome to SyncWatch, ${session.user.username}.`);
      void navigate('/', { replace: true });
    },
  });

  return (
    <form
      noValidate
      aria-label="Create account"
      className="flex flex-col gap-5"
      onSubmit={handleSubmit((input) =>
        submit({ email: input.email.trim(), username: input.username.trim(), password: input.password }),
      )}
    >
      <FormAlert message={formError} />
      <Input
        label="Email"
        type="email"
        inputMode="email"
        autoComplete="email"
        required
        data-testid="register-email"
        {...field('email')}
      />
      <Input
        label="Username"
        autoComplete="username"
        autoCapitalize="off"
        spellCheck={false}
        hint="3–32 letters, digits, dots, dashes or underscores. Others find you by it."
        required
        data-testid="register-username"
        {...field('username')}
      />
      <PasswordInput
        label="Password"
        autoComplete="new-password"
        hint={passwordLengthHint(values.password)}
        required
        data-testid="register-password"
        {...field('password')}
      />
      <Button type="submit" size="lg" fullWidth loading={pending} className="mt-1" data-testid="register-submit">
        {pending ? 'Creating account…' : 'Create account'}
      </Button>
    </form>
  );
}
