import { create } from 'zustand';

export type ToastVariant = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: string;
  variant: ToastVariant;
  title: string;
  description?: string;
  /** Milliseconds before it dismisses itself; null keeps it until dismissed. */
  durationMs: number | null;
}

export interface ToastInput {
  variant?: ToastVariant;
  title: string;
  description?: string;
  durationMs?: number | null;
}

/** More than this and the oldest goes: a stack of stale notices helps nobody. */
export const MAX_TOASTS = 4;
export const DEFAULT_TOAST_DURATION_MS = 5000;
/** Errors stay longer: they usually ask the reader to do something. */
export const ERROR_TOAST_DURATION_MS = 8000;

export interface ToastState {
  toasts: Toast[];
  /** Shows a toast and returns its id. */
  addToast: (input: ToastInput) => string;
  dismissToast: (id: string) => void;
  clearToasts: () => void;
}

let nextId = 0;

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  addToast: ({ variant = 'info', title, description, durationMs }) => {
    nextId += 1;
    const id = `toast-${nextId}`;
    const toast: Toast = {
      id,
      variant,
      title,
      ...(description === undefined ? {} : { description }),
      durationMs:
        durationMs === undefined
          ? variant === 'error'
            ? ERROR_TOAST_DURATION_MS
            : DEFAULT_TOAST_DURATION_MS
          : durationMs,
    };
    set((state) => ({ toasts: [...state.toasts, toast].slice(-MAX_TOASTS) }));
    return id;
  },
  dismissToast: (id) => {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },
  clearToasts: () => {
    set({ toasts: [] });
  },
}));

function show(variant: ToastVariant) {
  return (title: string, description?: string): string =>
    useToastStore.getState().addToast({ variant, title, description });
}

/** Shorthand for code outside React: `toast.error('Could not copy')`. */
export const toast = {
  info: show('info'),
  success: show('success'),
  warning: show('warning'),
  error: show('error'),
};
