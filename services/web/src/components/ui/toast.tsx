import { useEffect, useState } from 'react';
import { AnimatePresence, motion } from 'framer-motion';
import { CircleAlert, CircleCheck, CircleX, Info, X, type LucideIcon } from 'lucide-react';

import { duration, ease } from '@/components/ui/motion';
import { cn } from '@/lib/cn';
import { useToastStore, type Toast as ToastData, type ToastVariant } from '@/stores/toast-store';

const icons: Record<ToastVariant, LucideIcon> = {
  info: Info,
  success: CircleCheck,
  warning: CircleAlert,
  error: CircleX,
};

const iconColors: Record<ToastVariant, string> = {
  info: 'text-accent-text',
  success: 'text-success-text',
  warning: 'text-warning-text',
  error: 'text-danger-text',
};

export interface ToastProps {
  toast: ToastData;
  onDismiss: (id: string) => void;
}

/** One notification. Dismisses itself after its duration; hovering or focusing it pauses that. */
export function Toast({ toast, onDismiss }: ToastProps) {
  const [paused, setPaused] = useState(false);
  const Icon = icons[toast.variant];

  useEffect(() => {
    if (paused || toast.durationMs === null) return undefined;
    const timer = window.setTimeout(() => {
      onDismiss(toast.id);
    }, toast.durationMs);
    return () => {
      window.clearTimeout(timer);
    };
  }, [paused, toast.durationMs, toast.id, onDismiss]);

  return (
    <motion.li
      layout
      initial={{ opacity: 0, y: 16, scale: 0.96 }}
      animate={{ opacity: 1, y: 0, scale: 1 }}
      exit={{ opacity: 0, scale: 0.96, transition: { duration: duration.fast } }}
      transition={{ duration: duration.slow, ease: ease.emphasized }}
      data-testid="toast"
      data-variant={toast.variant}
      className="sw-glass sw-glass-strong pointer-events-auto flex w-full items-start gap-3 rounded-lg p-3.5 pr-2 shadow-lg sm:w-[22rem]"
      onPointerEnter={() => {
        setPaused(true);
      }}
      onPointerLeave={() => {
        setPaused(false);
      }}
      onFocus={() => {
        setPaused(true);
      }}
      onBlur={() => {
        setPaused(false);
      }}
    >
      <Icon aria-hidden="true" className={cn('mt-0.5 h-5 w-5 shrink-0', iconColors[toast.variant])} />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold text-fg">{toast.title}</p>
        {toast.description !== undefined && <p className="mt-0.5 text-sm text-fg-muted">{toast.description}</p>}
      </div>
      <button
        type="button"
        aria-label="Dismiss notification"
        className="-my-1 rounded-full p-1.5 text-fg-subtle transition-colors duration-fast hover:bg-fg/[0.06] hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        onClick={() => {
          onDismiss(toast.id);
        }}
      >
        <X aria-hidden="true" className="h-4 w-4" />
      </button>
    </motion.li>
  );
}

/** Renders the toast store. Mount once; new toasts are announced politely by screen readers. */
export function Toaster() {
  const toasts = useToastStore((state) => state.toasts);
  const dismissToast = useToastStore((state) => state.dismissToast);

  return (
    <section
      aria-label="Notifications"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-[60] flex justify-center p-3 sm:justify-end sm:p-6"
    >
      <ol aria-live="polite" aria-relevant="additions text" className="flex w-full flex-col items-end gap-2 sm:w-auto">
        <AnimatePresence initial={false}>
          {toasts.map((item) => (
            <Toast key={item.id} toast={item} onDismiss={dismissToast} />
          ))}
        </AnimatePresence>
      </ol>
    </section>
  );
}
