import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useParams } from 'react-router';
import { describe, expect, it } from 'vitest';

import { JoinRoomForm } from '@/features/home/components/join-room-form';

function RoomProbe() {
  const { code } = useParams();
  return <p>Opened room {code}</p>;
}

function renderForm() {
  render(
    <MemoryRouter initialEntries={['/']}>
      <Routes>
        <Route path="/" element={<JoinRoomForm />} />
        <Route path="/r/:code" element={<RoomProbe />} />
      </Routes>
    </MemoryRouter>,
  );
  return {
    input: screen.getByRole('textbox', { name: 'Invite code or link' }),
    submit: screen.getByRole('button', { name: 'Join room' }),
  };
}

describe('JoinRoomForm', () => {
  it('opens the room for a typed code', async () => {
    const user = userEvent.setup();
    const { input, submit } = renderForm();
    await user.type(input, 'k7qm-2xpa');
    await user.click(submit);
    expect(screen.getByText('Opened room K7QM2XPA')).toBeInTheDocument();
  });

  it('opens the room for a pasted invite link', async () => {
    const user = userEvent.setup();
    const { input } = renderForm();
    await user.click(input);
    await user.paste('https://watch.example.com/r/ABCDEFGH');
    await user.keyboard('{Enter}');
    expect(screen.getByText('Opened room ABCDEFGH')).toBeInTheDocument();
  });

  it('explains a bad code inline and stays on the page', async () => {
    const user = userEvent.setup();
    const { input, submit } = renderForm();
    await user.type(input, 'ABC0');
    await user.click(submit);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(/8 characters: letters A–Z and digits 2–9/);
    expect(input).toHaveFocus();

    await user.type(input, 'X');
    expect(input).not.toHaveAttribute('aria-invalid');
  });

  it('asks for input when empty', async () => {
    const user = userEvent.setup();
    const { input, submit } = renderForm();
    await user.click(submit);
    expect(input).toHaveAccessibleDescription(/Enter an invite code or paste an invite link/);
  });
});
