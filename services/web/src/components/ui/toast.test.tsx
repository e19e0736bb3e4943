import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toast';
import { toast, useToastStore } from '@/stores/toast-store';

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Toaster', () => {
  it('announces toasts through a polite live region', () => {
    render(<Toaster />);
    act(() => {
      toast.success('Invite link copied', 'Send it to a friend.');
    });
    const region = screen.getByRole('region', { name: 'Notifications' });
    const list = within(region).getByRole('list');
    expect(list).toHaveAttribute('aria-live', 'polite');
    expect(within(list).getByText('Invite link copied')).toBeInTheDocument();
    expect(within(list).getByText('Send it to a friend.')).toBeInTheDocument();
  });

  it('dismisses a toast from its button', async () => {
    render(<Toaster />);
    act(() => {
      toast.info('Hello');
    });
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss notification' }));
    expect(useToastStore.getState().toasts).toEqual([]);
  });

  it('dismisses itself after its duration', () => {
    vi.useFakeTimers();
    render(<Toaster />);
    act(() => {
      useToastStore.getState().addToast({ title: 'Short', durationMs: 1000 });
    });
    act(() => {
      vi.advanceTimersByTime(999);
    });
    expect(useToastStore.getState().toasts).toHaveLength(1);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(useToastStore.getState().toasts).toHaveLength(0);
  });
});
