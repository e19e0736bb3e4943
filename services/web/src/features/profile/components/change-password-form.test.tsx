import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import { ChangePasswordForm } from '@/features/profile/components/change-password-form';
import { applySession } from '@/lib/session';
import { useSessionStore } from '@/stores/session-store';
import { useToastStore } from '@/stores/toast-store';
import { json, mockApi, problem, sessionBody } from '@/testing/fetch-mock';

async function fill(current = 'old secret', next = 'new secret!', confirm = next) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Current password'), current);
  await user.type(screen.getByLabelText('New password'), next);
  await user.type(screen.getByLabelText('Confirm new password'), confirm);
  await user.click(screen.getByRole('button', { name: 'Change password' }));
}

beforeEach(() => {
  useToastStore.getState().clearToasts();
  applySession(sessionBody({ accessToken: 'before' }));
  render(
    <>
      <ChangePasswordForm username="ann" />
      <Toaster />
    </>,
  );
});

describe('ChangePasswordForm', () => {
  it('validates before sending', async () => {
    const api = mockApi({});
    await fill('old secret', 'new secret!', 'different');
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription('The passwords do not match.');
    expect(api.fetchMock).not.toHaveBeenCalled();
  });

  it('stores the fresh session the server returns and says other devices were signed out', async () => {
    const api = mockApi({ 'POST /api/auth/password': () => json(200, sessionBody({ accessToken: 'after' })) });
    await fill();
    expect(await screen.findByText('Password changed. Other devices were signed out.')).toBeInTheDocument();
    expect(api.requests[0]).toMatchObject({
      path: '/api/auth/password',
      body: { currentPassword: 'old secret', newPassword: 'new secret!' },
      headers: { Authorization: 'Bearer before' },
    });
    expect(useSessionStore.getState().accessToken).toBe('after');
    expect(screen.getByLabelText('Current password')).toHaveValue('');
  });

  it('marks a wrong current password on its field, without refreshing the session', async () => {
    const api = mockApi({ 'POST /api/auth/password': () => problem(401, 'invalid_credentials') });
    await fill();
    await waitFor(() => {
      expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('That is not your current password.');
    });
    expect(api.calls('POST /api/auth/refresh')).toHaveLength(0);
    expect(useSessionStore.getState().status).toBe('signed-in');
  });

  it('puts a refused new password on the new password field', async () => {
    mockApi({
      'POST /api/auth/password': () =>
        problem(400, 'invalid_request', { errors: [{ field: 'newPassword', message: 'This password is too common.' }] }),
    });
    await fill('old secret', 'password1');
    await waitFor(() => {
      expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(/This password is too common\./);
    });
  });

  it('says how long to wait when throttled', async () => {
    mockApi({ 'POST /api/auth/password': () => problem(429, 'rate_limited', { retryAfter: 9 }) });
    await fill();
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 9 s.');
  });
});
