import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { PasswordInput } from '@/components/ui/password-input';
import { changePassword } from '@/features/profile/api/profile-api';
import { validatePasswordChange, type PasswordField } from '@/features/profile/lib/validation';
import { useFormRequest } from '@/hooks/use-form-request';
import { useValidatedForm } from '@/hooks/use-validated-form';
import { passwordLengthHint } from '@/lib/account-rules';
import { applySession } from '@/lib/session';
import { toast } from '@/stores/toast-store';

export function ChangePasswordForm({ username }: { username: string }) {
  const { field, values, handleSubmit, setServerErrors, reset } = useValidatedForm(
    { currentPassword: '', newPassword: '', confirmPassword: '' },
    validatePasswordChange,
  );
  const { submit, pending, formError } = useFormRequest(changePassword, {
    unavailableTitle: 'Changing the password is not available yet',
    fields: {
      currentPassword: 'currentPassword',
      newPassword: 'newPassword',
      password: 'newPassword',
    } satisfies Record<string, PasswordField>,
    onFieldErrors: setServerErrors,
    describe: (error) =>
      error.code === 'invalid_credentials'
        ? { fieldErrors: { currentPassword: 'That is not your current password.' } }
        : undefined,
    onSuccess: (session) => {
      applySession(session);
      reset();
      toast.success('Password changed. Other devices were signed out.');
    },
  });

  return (
    <form
      noValidate
      aria-labelledby="change-password-title"
      className="flex flex-col gap-5"
      onSubmit={handleSubmit((input) =>
        submit({ currentPassword: input.currentPassword, newPassword: input.newPassword }),
      )}
    >
      <FormAlert message={formError} />
      {/* Not shown: tells password managers which account the new password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <PasswordInput
        label="Current password"
        autoComplete="current-password"
        required
        data-testid="current-password"
        {...field('currentPassword')}
      />
      <PasswordInput
        label="New password"
        autoComplete="new-password"
        hint={passwordLengthHint(values.newPassword)}
        required
        data-testid="new-password"
        {...field('newPassword')}
      />
      <PasswordInput
        label="Confirm new password"
        autoComplete="new-password"
        required
        data-testid="confirm-password"
        {...field('confirmPassword')}
      />
      <div className="flex justify-end">
        <Button type="submit" loading={pending} className="w-full sm:w-auto" data-testid="change-password-submit">
          {pending ? 'Changing…' : 'Change password'}
        </Button>
      </div>
    </form>
  );
}
