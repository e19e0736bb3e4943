import { useNavigate, useSearchParams } from 'react-router';

import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { login } from '@/features/auth/api/auth-api';
import { safeNextPath } from '@/features/auth/lib/next-path';
import { validateLogin, type LoginField } from '@/features/auth/lib/validation';
import { useFormRequest } from '@/hooks/use-form-request';
import { useValidatedForm } from '@/hooks/use-validated-form';
import { applySession } from '@/lib/session';
import { toast } from '@/stores/toast-store';

/** One message for unknown user and wrong password alike: the form never says which it was. */
export const INVALID_CREDENTIALS_MESSAGE = 'That email or username and password do not match an account.';

export function LoginForm() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get('next'));
  const { field, handleSubmit, setServerErrors } = useValidatedForm({ login: '', password: '' }, validateLogin);
  const { submit, pending, formError } = useFormRequest(login, {
    unavailableTitle: 'Logging in is not available yet',
    fields: { login: 'login', email: 'login', username: 'login', password: 'password' } satisfies Record<
      string,
      LoginField
    >,
    onFieldErrors: setServerErrors,
    describe: (error) =>
      error.code === 'invalid_credentials' || (error.status === 401 && error.code === undefined)
        ? { formError: INVALID_CREDENTIALS_MESSAGE }
        : undefined,
    onSuccess: (session) => {
      applySession(session);
      toast.success('Logged in', `Welcome back, ${session.user.username}.`);
      void navigate(next, { replace: true });
    },
  });

  return (
    <form
      noValidate
      aria-label="Log in"
      className="flex flex-col gap-5"
      onSubmit={handleSubmit((values) => submit({ login: values.login.trim(), password: values.password }))}
    >
      <FormAlert message={formError} />
      <Input
        label="Email or username"
        autoComplete="username"
        autoCapitalize="off"
        spellCheck={false}
        required
        data-testid="login-identifier"
        {...field('login')}
      />
      <PasswordInput
        label="Password"
        autoComplete="current-password"
        required
        data-testid="login-password"
        {...field('password')}
      />
      <Button type="submit" size="lg" fullWidth loading={pending} className="mt-1" data-testid="login-submit">
        {pending ? 'Logging in…' : 'Log in'}
      </Button>
    </form>
  );
}
