import { beforeEach, describe, expect, it } from 'vitest';

import {
  DEFAULT_TOAST_DURATION_MS,
  ERROR_TOAST_DURATION_MS,
  MAX_TOASTS,
  toast,
  useToastStore,
} from '@/stores/toast-store';

const toasts = () => useToastStore.getState().toasts;

beforeEach(() => {
  useToastStore.getState().clearToasts();
});

describe('toast store', () => {
  it('adds a toast with defaults and returns its id', () => {
    const id = useToastStore.getState().addToast({ title: 'Hello' });
    expect(toasts()).toEqual([{ id, variant: 'info', title: 'Hello', durationMs: DEFAULT_TOAST_DURATION_MS }]);
  });

  it('keeps errors on screen longer', () => {
    toast.error('Failed', 'Because');
    expect(toasts()[0]).toMatchObject({
      variant: 'error',
      title: 'Failed',
      description: 'Because',
      durationMs: ERROR_TOAST_DURATION_MS,
    });
  });

  it('allows a sticky toast', () => {
    useToastStore.getState().addToast({ title: 'Sticky', durationMs: null });
    expect(toasts()[0]?.durationMs).toBeNull();
  });

  it('gives every toast its own id', () => {
    const a = toast.info('a');
    const b = toast.info('b');
    expect(a).not.toBe(b);
  });

  it('dismisses one toast by id', () => {
    const a = toast.info('a');
    const b = toast.success('b');
    useToastStore.getState().dismissToast(a);
    expect(toasts().map((t) => t.id)).toEqual([b]);
  });

  it('ignores dismissing an unknown id', () => {
    toast.info('a');
    useToastStore.getState().dismissToast('nope');
    expect(toasts()).toHaveLength(1);
  });

  it(`keeps at most ${MAX_TOASTS}, dropping the oldest`, () => {
    for (let i = 1; i <= MAX_TOASTS + 2; i += 1) toast.info(`t${i}`);
    const expected = Array.from({ length: MAX_TOASTS }, (_, i) => `t${i + 3}`);
    expect(toasts().map((t) => t.title)).toEqual(expected);
  });

  it('clears all toasts', () => {
    toast.info('a');
    toast.warning('b');
    useToastStore.getState().clearToasts();
    expect(toasts()).toEqual([]);
  });
});
