import { useRef, type ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  /** Label of the confirming button, e.g. "Remove". */
  confirmLabel: string;
  /** `danger` paints the confirming button red (removals, blocks). */
  tone?: 'default' | 'danger';
  /** True while the confirmed action runs: the button shows a spinner. */
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Focus target after closing when the element that opened the dialog is gone. */
  fallbackFocus?: () => HTMLElement | null;
  /** Extra content above the buttons, e.g. an optional reason field. */
  children?: ReactNode;
}

/**
 * "Are you sure?" on top of <Dialog>: Cancel gets the initial focus, so Enter alone never
 * confirms something destructive. The confirming button is `data-testid="confirm-action"`.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  tone = 'default',
  pending = false,
  onConfirm,
  onCancel,
  fallbackFocus,
  children,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={title}
      description={description}
      initialFocusRef={cancelRef}
      fallbackFocus={fallbackFocus}
    >
      {children !== undefined && <div className="mb-5">{children}</div>}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button ref={cancelRef} variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          variant={tone === 'danger' ? 'danger' : 'primary'}
          loading={pending}
          data-testid="confirm-action"
          onClick={onConfirm}
        >
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
