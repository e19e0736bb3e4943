import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { register } from '@/features/auth/api/auth-api';
import { FormAlert } from '@/features/auth/components/form-alert';
import { PasswordInput } from '@/features/auth/components/password-input';
import { useAuthRequest } from '@/features/auth/hooks/use-auth-request';
import { PASSWORD_MIN_LENGTH, validateRegister } from '@/features/auth/lib/validation';
import { useValidatedForm } from '@/hooks/use-validated-form';
import { toast } from '@/stores/toast-store';

export function RegisterForm() {
  const navigate = useNavigate();
  const { field, handleSubmit } = useValidatedForm(
    { email: '', username: '', password: '', confirmPassword: '' },
    validateRegister,
  );
  const { submit, pending, formError } = useAuthRequest(register, {
    unavailableTitle: 'Creating accounts is not available yet',
    onSuccess: () => {
      toast.success('Account created', 'You can log in now.');
      void navigate('/login');
    },
  });

  return (
    <form
      noValidate
      aria-label="Create account"
      className="flex flex-col gap-5"
      onSubmit={handleSubmit((values) =>
        submit({ email: values.email.trim(), username: values.username.trim(), password: values.password }),
      )}
    >
      <FormAlert message={formError} />
      <Input label="Email" type="email" inputMode="email" autoComplete="email" required {...field('email')} />
      <Input
        label="Username"
        autoComplete="username"
        autoCapitalize="off"
        spellCheck={false}
        hint="Shown to others in rooms and chat."
        required
        {...field('username')}
      />
      <PasswordInput
        label="Password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A long passphrase is best.`}
        required
        {...field('password')}
      />
      <PasswordInput label="Confirm password" autoComplete="new-password" required {...field('confirmPassword')} />
      <Button type="submit" size="lg" fullWidth loading={pending} className="mt-1">
        {pending ? 'Creating account…' : 'Create account'}
      </Button>
    </form>
  );
}
