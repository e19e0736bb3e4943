import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { Input } from '@/components/ui/input';

describe('Input', () => {
  it('is labelled by its label', () => {
    render(<Input label="Email" />);
    expect(screen.getByRole('textbox', { name: 'Email' })).toBeInTheDocument();
  });

  it('is not invalid and has no description by default', () => {
    render(<Input label="Email" />);
    const input = screen.getByRole('textbox', { name: 'Email' });
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).not.toHaveAttribute('aria-describedby');
  });

  it('links the hint with aria-describedby', () => {
    render(<Input label="Email" hint="We never share it." />);
    expect(screen.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('We never share it.');
  });

  it('marks the field invalid and reads the error with it', () => {
    render(<Input label="Email" hint="We never share it." error="Enter your email address." />);
    const input = screen.getByRole('textbox', { name: 'Email' });
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Enter your email address. We never share it.');
    const errorId = input.getAttribute('aria-describedby')?.split(' ')[0];
    expect(errorId).toBeDefined();
    expect(document.getElementById(errorId ?? '')).toHaveTextContent('Enter your email address.');
  });

  it('treats an empty or null error as no error', () => {
    const { rerender } = render(<Input label="Email" error="" />);
    expect(screen.getByRole('textbox')).not.toHaveAttribute('aria-invalid');
    rerender(<Input label="Email" error={null} />);
    expect(screen.getByRole('textbox')).not.toHaveAttribute('aria-invalid');
  });

  it('keeps a caller-provided id and description', () => {
    render(
      <>
        <p id="extra">Extra help</p>
        <Input id="email" label="Email" error="Bad" aria-describedby="extra" />
      </>,
    );
    const input = screen.getByRole('textbox', { name: 'Email' });
    expect(input).toHaveAttribute('id', 'email');
    expect(input).toHaveAttribute('aria-describedby', 'email-error extra');
  });
});
