import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import { LoginForm } from '@/features/auth/components/login-form';
import { RegisterForm } from '@/features/auth/components/register-form';
import { useToastStore } from '@/stores/toast-store';

function renderAt(path: '/login' | '/register') {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/login" element={<LoginForm />} />
        <Route path="/register" element={<RegisterForm />} />
        <Route path="/" element={<p>Home page</p>} />
      </Routes>
      <Toaster />
    </MemoryRouter>,
  );
}

function respond(status: number, body?: unknown, contentType = 'application/problem+json') {
  const fetchMock = vi.fn(() =>
    Promise.resolve(
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': contentType },
      }),
    ),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function fillLogin(email = 'ada@example.com', password = 'correct horse') {
  const user = userEvent.setup();
  await user.type(screen.getByRole('textbox', { name: 'Email' }), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  return user;
}

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

describe('LoginForm', () => {
  it('validates before sending anything', async () => {
    const fetchMock = respond(500);
    renderAt('/login');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));

    const email = screen.getByRole('textbox', { name: 'Email' });
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter your email address.');
    expect(email).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts the credentials to /api/auth/login', async () => {
    const fetchMock = respond(401, { title: 'Unauthorized', detail: 'Wrong email or password.' });
    renderAt('/login');
    await fillLogin();
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
      }),
    );
  });

  it('shows the problem detail of a refused login', async () => {
    respond(401, { title: 'Unauthorized', detail: 'Wrong email or password.' });
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(screen.queryByText('Home page')).not.toBeInTheDocument();
  });

  it('falls back to the problem title', async () => {
    respond(429, { title: 'Too many attempts' });
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts');
  });

  it.each([404, 502, 503])('says the service is not available on %i, without pretending', async (status) => {
    respond(status, undefined, 'text/plain');
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByText('Logging in is not available yet')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText('Home page')).not.toBeInTheDocument();
  });

  it('says the service is not available when the network fails', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByText('Logging in is not available yet')).toBeInTheDocument();
  });

  it('only reports success on a 2xx', async () => {
    respond(200, { accessToken: 'x' }, 'application/json');
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByText('Home page')).toBeInTheDocument();
    expect(screen.getByText('Logged in')).toBeInTheDocument();
  });
});

describe('RegisterForm', () => {
  async function fillRegister(overrides: Partial<Record<'email' | 'username' | 'password' | 'confirm', string>> = {}) {
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Email' }), overrides.email ?? 'ada@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Username' }), overrides.username ?? 'ada');
    await user.type(screen.getByLabelText('Password'), overrides.password ?? 'a long passphrase');
    await user.type(screen.getByLabelText('Confirm password'), overrides.confirm ?? 'a long passphrase');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
  }

  it('checks every field', async () => {
    const fetchMock = respond(500);
    renderAt('/register');
    await fillRegister({ email: 'nope', username: 'a', password: 'short', confirm: 'other' });
    expect(screen.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(/name@example.com/);
    expect(screen.getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(/3–32 letters/);
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/at least 8 characters/i);
    expect(screen.getByLabelText('Confirm password')).toHaveAccessibleDescription('The passwords do not match.');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts to /api/auth/register and shows a conflict', async () => {
    const fetchMock = respond(409, { title: 'Conflict', detail: 'That username is taken.' });
    renderAt('/register');
    await fillRegister();
    expect(await screen.findByRole('alert')).toHaveTextContent('That username is taken.');
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/register',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ email: 'ada@example.com', username: 'ada', password: 'a long passphrase' }),
      }),
    );
  });

  it('says the service is not available on 404', async () => {
    respond(404, undefined, 'text/plain');
    renderAt('/register');
    await fillRegister();
    await waitFor(() => {
      expect(screen.getByText('Creating accounts is not available yet')).toBeInTheDocument();
    });
  });

  it('lets people see the password they typed', async () => {
    renderAt('/register');
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('type', 'password');
    await userEvent.click(screen.getAllByRole('button', { name: 'Show password' })[0] as HTMLElement);
    expect(password).toHaveAttribute('type', 'text');
  });
});
