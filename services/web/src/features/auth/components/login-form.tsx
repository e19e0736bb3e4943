import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { login } from '@/features/auth/api/auth-api';
import { FormAlert } from '@/features/auth/components/form-alert';
import { PasswordInput } from '@/features/auth/components/password-input';
import { useAuthRequest } from '@/features/auth/hooks/use-auth-request';
import { validateLogin } from '@/features/auth/lib/validation';
import { useValidatedForm } from '@/hooks/use-validated-form';
import { toast } from '@/stores/toast-store';

export function LoginForm() {
  const navigate = useNavigate();
  const { field, handleSubmit } = useValidatedForm({ email: '', password: '' }, validateLogin);
  const { submit, pending, formError } = useAuthRequest(login, {
    unavailableTitle: 'Logging in is not available yet',
    onSuccess: () => {
      toast.success('Logged in', 'Welcome back.');
      void navigate('/');
    },
  });

  return (
    <form
      noValidate
      aria-label="Log in"
      className="flex flex-col gap-5"
      onSubmit={handleSubmit((values) => submit({ email: values.email.trim(), password: values.password }))}
    >
      <FormAlert message={formError} />
      <Input label="Email" type="email" inputMode="email" autoComplete="email" required {...field('email')} />
      <PasswordInput label="Password" autoComplete="current-password" required {...field('password')} />
      <Button type="submit" size="lg" fullWidth loading={pending} className="mt-1">
        {pending ? 'Logging in…' : 'Log in'}
      </Button>
    </form>
  );
}
