import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import { INVALID_CREDENTIALS_MESSAGE, LoginForm } from '@/features/auth/components/login-form';
import { RegisterForm } from '@/features/auth/components/register-form';
import { SESSION_HINT_KEY, useSessionStore } from '@/stores/session-store';
import { useToastStore } from '@/stores/toast-store';
import { json, mockApi, problem, sessionBody } from '@/testing/fetch-mock';

function Where() {
  const location = useLocation();
  return <p>At {`${location.pathname}${location.search}`}</p>;
}

function renderAt(path: string) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/login" element={<LoginForm />} />
        <Route path="/register" element={<RegisterForm />} />
        <Route path="*" element={<Where />} />
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

async function fillLogin(login = 'ada@example.com', password = 'correct horse') {
  const user = userEvent.setup();
  await user.type(screen.getByRole('textbox', { name: 'Email or username' }), login);
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

    const login = screen.getByRole('textbox', { name: 'Email or username' });
    expect(login).toHaveAttribute('aria-invalid', 'true');
    expect(login).toHaveAccessibleDescription('Enter your email or username.');
    expect(login).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts {login, password} to /api/auth/login', async () => {
    const api = mockApi({ 'POST /api/auth/login': () => problem(401, 'invalid_credentials') });
    renderAt('/login');
    await fillLogin('  ann  ', ' pass word ');
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/auth/login',
      body: { login: 'ann', password: ' pass word ' },
    });
  });

  it('shows one generic message for invalid_credentials, whatever the detail says', async () => {
    respond(401, { title: 'Unauthorized', detail: 'No such user', code: 'invalid_credentials' });
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByRole('alert')).toHaveTextContent(INVALID_CREDENTIALS_MESSAGE);
    expect(screen.queryByText(/No such user/)).not.toBeInTheDocument();
    expect(screen.queryByText(/^At /)).not.toBeInTheDocument();
  });

  it('says how long to wait when throttled', async () => {
    mockApi({ 'POST /api/auth/login': () => problem(429, 'rate_limited', { retryAfter: 30 }, { 'Retry-After': '30' }) });
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 30 s.');
  });

  it('puts errors[] on the fields they name', async () => {
    mockApi({
      'POST /api/auth/login': () =>
        problem(400, 'invalid_request', { errors: [{ field: 'password', message: 'Password is too long.' }] }),
    });
    renderAt('/login');
    await fillLogin();
    await waitFor(() => {
      expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Password is too long.');
    });
    expect(screen.getByLabelText('Password')).toHaveFocus();
  });

  it.each([404, 502, 503])('says the service is not available on %i, without pretending', async (status) => {
    respond(status, undefined, 'text/plain');
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByText('Logging in is not available yet')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/^At /)).not.toBeInTheDocument();
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

  it('signs in and goes home on success', async () => {
    mockApi({ 'POST /api/auth/login': () => json(200, sessionBody({ accessToken: 'fresh' })) });
    renderAt('/login');
    await fillLogin();
    expect(await screen.findByText('At /')).toBeInTheDocument();
    expect(screen.getByText('Logged in')).toBeInTheDocument();
    expect(useSessionStore.getState()).toMatchObject({ status: 'signed-in', accessToken: 'fresh' });
    expect(window.localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
  });

  it('goes on to a safe ?next= path', async () => {
    mockApi({ 'POST /api/auth/login': () => json(200, sessionBody()) });
    renderAt('/login?next=/friends');
    await fillLogin();
    expect(await screen.findByText('At /friends')).toBeInTheDocument();
  });

  it('ignores a ?next= that leaves the site', async () => {
    mockApi({ 'POST /api/auth/login': () => json(200, sessionBody()) });
    renderAt('/login?next=//evil.example/x');
    await fillLogin();
    expect(await screen.findByText('At /')).toBeInTheDocument();
  });
});

describe('RegisterForm', () => {
  async function fillRegister(overrides: Partial<Record<'email' | 'username' | 'password', string>> = {}) {
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Email' }), overrides.email ?? 'ada@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Username' }), overrides.username ?? 'ada');
    await user.type(screen.getByLabelText('Password'), overrides.password ?? 'a long passphrase');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
  }

  it('checks every field', async () => {
    const fetchMock = respond(500);
    renderAt('/register');
    await fillRegister({ email: 'nope', username: 'a', password: 'short' });
    expect(screen.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(/name@example.com/);
    expect(screen.getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(/3–32 letters/);
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/at least 8 characters/i);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('counts the password length as people type', async () => {
    renderAt('/register');
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAccessibleDescription('8–128 characters. A long passphrase is best.');
    await userEvent.type(password, 'abc');
    expect(password).toHaveAccessibleDescription('3 of at least 8 characters: 5 more to go.');
    await userEvent.type(password, 'defgh');
    expect(password).toHaveAccessibleDescription('8 characters. Long enough.');
  });

  it('posts to /api/auth/register and puts username_taken on the username', async () => {
    const api = mockApi({ 'POST /api/auth/register': () => problem(409, 'username_taken') });
    renderAt('/register');
    await fillRegister();
    const username = screen.getByRole('textbox', { name: 'Username' });
    await waitFor(() => {
      expect(username).toHaveAccessibleDescription(/That username is taken/);
    });
    expect(username).toHaveFocus();
    expect(api.requests[0]).toMatchObject({
      path: '/api/auth/register',
      body: { email: 'ada@example.com', username: 'ada', password: 'a long passphrase' },
    });
  });

  it('puts email_taken on the email, and clears it when the email is edited', async () => {
    mockApi({ 'POST /api/auth/register': () => problem(409, 'email_taken') });
    renderAt('/register');
    await fillRegister();
    const email = screen.getByRole('textbox', { name: 'Email' });
    await waitFor(() => {
      expect(email).toHaveAccessibleDescription(/already exists/);
    });
    await userEvent.type(email, 'x');
    expect(email).not.toHaveAttribute('aria-invalid');
  });

  it('shows the common-password message on the password field', async () => {
    mockApi({
      'POST /api/auth/register': () =>
        problem(400, 'invalid_request', { errors: [{ field: 'password', message: 'This password is too common.' }] }),
    });
    renderAt('/register');
    await fillRegister({ password: 'password1' });
    await waitFor(() => {
      expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/This password is too common\./);
    });
  });

  it('signs the new account in and lands on the home page', async () => {
    mockApi({ 'POST /api/auth/register': () => json(201, sessionBody({ accessToken: 'new-account' })) });
    renderAt('/register');
    await fillRegister();
    expect(await screen.findByText('At /')).toBeInTheDocument();
    expect(screen.getByText('Account created')).toBeInTheDocument();
    expect(useSessionStore.getState()).toMatchObject({ status: 'signed-in', accessToken: 'new-account' });
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
    await userEvent.click(screen.getByRole('button', { name: 'Show password' }));
    expect(password).toHaveAttribute('type', 'text');
  });
});
