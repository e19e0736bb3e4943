import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { AnimatePresence, motion } from 'framer-motion';
import { X } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { duration, ease } from '@/components/ui/motion';
import { cn } from '@/lib/cn';

const FOCUSABLE = [
  'a[href]',
  'area[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'iframe',
  '[contenteditable="true"]',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusableIn(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (element) => !element.hasAttribute('inert') && element.getAttribute('aria-hidden') !== 'true',
  );
}

export interface DialogProps {
  open: boolean;
  /** Called on Escape, the close button and a click on the backdrop. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Focused when the dialog opens; defaults to the first focusable element inside it. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /**
   * Focus target on close when the opener is gone (e.g. the row whose menu opened the dialog was
   * removed by the dialog's action). Without it focus would fall back to the page body.
   */
  fallbackFocus?: () => HTMLElement | null;
  className?: string;
}

/**
 * An accessible modal dialog: rendered in a portal, `aria-modal`, labelled by its title,
 * focus moved inside on open, kept inside while open (Tab wraps) and given back on close,
 * Escape closes, page scroll locked. Enters and leaves with Framer Motion.
 */
export function Dialog({ open, ...rest }: DialogProps) {
  return createPortal(
    <AnimatePresence>{open && <DialogContent key="dialog" {...rest} />}</AnimatePresence>,
    document.body,
  );
}

function DialogContent({
  onClose,
  title,
  description,
  children,
  initialFocusRef,
  fallbackFocus,
  className,
}: Omit<DialogProps, 'open'>) {
  const panelRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  const fallbackFocusRef = useRef(fallbackFocus);
  useEffect(() => {
    onCloseRef.current = onClose;
    fallbackFocusRef.current = fallbackFocus;
  }, [onClose, fallbackFocus]);
  const titleId = useId();
  const descriptionId = useId();

  // Focus in on open, back to the opener on close.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const panel = panelRef.current;
    if (panel) {
      const target = initialFocusRef?.current ?? focusableIn(panel)[0] ?? panel;
      target.focus();
    }
    return () => {
      if (opener?.isConnected) opener.focus();
      else fallbackFocusRef.current?.()?.focus();
    };
    // Only on mount/unmount: a later change of the ref must not steal focus again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Escape and the Tab trap, listened for on the document so they hold wherever focus went.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const panel = panelRef.current;
      if (!panel) return;
      if (event.key === 'Escape') {
        event.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const focusables = focusableIn(panel);
      const first = focusables[0];
      const last = focusables[focusables.length - 1];
      const active = document.activeElement;
      if (!first || !last) {
        event.preventDefault();
        panel.focus();
      } else if (event.shiftKey && (active === first || !panel.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, []);

  // Lock page scroll without letting the layout jump when the scrollbar disappears.
  useEffect(() => {
    const { body, documentElement } = document;
    const scrollbar = window.innerWidth - documentElement.clientWidth;
    const previous = { overflow: body.style.overflow, paddingRight: body.style.paddingRight };
    body.style.overflow = 'hidden';
    if (scrollbar > 0) body.style.paddingRight = `${scrollbar}px`;
    return () => {
      body.style.overflow = previous.overflow;
      body.style.paddingRight = previous.paddingRight;
    };
  }, []);

  return (
    <div className="fixed inset-0 z-50 flex items-end justify-center p-3 sm:items-center sm:p-6">
      {/* Pointer convenience only: Escape and the close button are the keyboard paths. */}
      <motion.div
        aria-hidden="true"
        data-testid="dialog-backdrop"
        className="absolute inset-0 bg-[rgb(8_9_20/0.45)] backdrop-blur-[3px]"
        initial={{ opacity: 0 }}
        animate={{ opacity: 1 }}
        exit={{ opacity: 0 }}
        transition={{ duration: duration.base, ease: ease.standard }}
        onClick={() => {
          onCloseRef.current();
        }}
      />
      <motion.div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description === undefined ? undefined : descriptionId}
        tabIndex={-1}
        className={cn(
          'sw-glass sw-glass-strong relative w-full max-w-md overflow-y-auto rounded-2xl p-5 shadow-lg focus:outline-none sm:p-6',
          'max-h-[calc(100dvh-1.5rem)] sm:max-h-[calc(100dvh-3rem)]',
          className,
        )}
        initial={{ opacity: 0, y: 24, scale: 0.97 }}
        animate={{ opacity: 1, y: 0, scale: 1 }}
        exit={{ opacity: 0, y: 16, scale: 0.98 }}
        transition={{ duration: duration.slow, ease: ease.emphasized }}
      >
        <div className="flex items-start justify-between gap-4">
          <h2 id={titleId} className="pt-1.5 text-lg font-semibold tracking-tight text-fg">
            {title}
          </h2>
          <Button
            variant="ghost"
            size="icon"
            aria-label="Close dialog"
            className="-mr-2 -mt-1"
            onClick={() => {
              onCloseRef.current();
            }}
          >
            <X aria-hidden="true" className="h-5 w-5" />
          </Button>
        </div>
        {description !== undefined && (
          <p id={descriptionId} className="mt-1 text-sm text-fg-muted">
            {description}
          </p>
        )}
        {children !== undefined && <div className="mt-5">{children}</div>}
      </motion.div>
    </div>
  );
}
