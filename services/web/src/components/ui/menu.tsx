import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { AnimatePresence, motion } from 'framer-motion';
import type { LucideIcon } from 'lucide-react';

import { duration, ease } from '@/components/ui/motion';
import { cn } from '@/lib/cn';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  icon?: LucideIcon;
  /** `danger` for destructive actions (remove, block, sign out). */
  tone?: 'default' | 'danger';
  testId?: string;
}

export interface MenuProps {
  /** Accessible name of the menu, e.g. "Account" or "Actions for bob". */
  label: string;
  items: MenuItem[];
  /** Content of the trigger button. */
  trigger: ReactNode;
  /** Accessible name of the trigger when its content is an icon only. */
  triggerLabel?: string;
  triggerClassName?: string;
  triggerTestId?: string;
  /** Non-interactive content at the top of the menu (e.g. who is signed in). */
  header?: ReactNode;
  /** Which trigger edge the menu lines up with. */
  align?: 'start' | 'end';
}

const GAP_PX = 8;
const EDGE_PX = 8;

/**
 * A menu button (WAI-ARIA APG): the trigger has `aria-haspopup="menu"` and `aria-expanded`;
 * Enter, Space or the arrow keys open it with focus on an item; arrows, Home and End move; Escape
 * and Tab close it and give focus back to the trigger, as does choosing an item. Rendered in a
 * portal on a strong glass surface, positioned next to the trigger (above it when there is no
 * room below), so no card or stacking context clips it. A click outside, scrolling or resizing
 * closes it.
 */
export function Menu({
  label,
  items,
  trigger,
  triggerLabel,
  triggerClassName,
  triggerTestId,
  header,
  align = 'end',
}: MenuProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [position, setPosition] = useState<CSSProperties>({ visibility: 'hidden' });
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const triggerId = useId();
  const menuId = useId();

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) triggerRef.current?.focus();
  }, []);

  const openAt = (index: number): void => {
    setActive(index);
    setPosition({ visibility: 'hidden' });
    setOpen(true);
  };

  // Place the menu once it has a size: below the trigger, or above when it does not fit.
  useLayoutEffect(() => {
    if (!open) return;
    const button = triggerRef.current;
    const menu = menuRef.current;
    if (!button || !menu) return;
    const rect = button.getBoundingClientRect();
    const height = menu.offsetHeight;
    const viewportWidth = document.documentElement.clientWidth || window.innerWidth;
    const below = rect.bottom + GAP_PX + height <= window.innerHeight - EDGE_PX || rect.top < height + GAP_PX;
    const next: CSSProperties = below
      ? { top: rect.bottom + GAP_PX }
      : { bottom: window.innerHeight - rect.top + GAP_PX };
    if (align === 'end') next.right = Math.max(EDGE_PX, viewportWidth - rect.right);
    else next.left = Math.max(EDGE_PX, rect.left);
    setPosition(next);
  }, [open, align]);

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: PointerEvent): void => {
      const target = event.target as Node | null;
      if (menuRef.current?.contains(target) || triggerRef.current?.contains(target)) return;
      close(false);
    };
    const onViewportChange = (event: Event): void => {
      if (event.type === 'scroll' && menuRef.current?.contains(event.target as Node | null)) return;
      close(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('resize', onViewportChange);
    window.addEventListener('scroll', onViewportChange, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('resize', onViewportChange);
      window.removeEventListener('scroll', onViewportChange, true);
    };
  }, [open, close]);

  const onTriggerKeyDown = (event: KeyboardEvent<HTMLButtonElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openAt(0);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(items.length - 1);
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const last = items.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((index) => (index >= last ? 0 : index + 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((index) => (index <= 0 ? last : index - 1));
        break;
      case 'Home':
        event.preventDefault();
        setActive(0);
        break;
      case 'End':
        event.preventDefault();
        setActive(last);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        break;
      case 'Tab':
        event.preventDefault();
        close(true);
        break;
      default:
        break;
    }
  };

  const choose = (item: MenuItem): void => {
    close(true);
    item.onSelect();
  };

  return (
    <>
      <button
        ref={triggerRef}
        id={triggerId}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={triggerLabel}
        data-testid={triggerTestId}
        className={cn(
          'inline-flex items-center justify-center rounded-full transition-colors duration-fast',
          'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
          triggerClassName,
        )}
        onClick={() => {
          if (open) close(false);
          else openAt(0);
        }}
        onKeyDown={onTriggerKeyDown}
      >
        {trigger}
      </button>
      {createPortal(
        <AnimatePresence>
          {open && (
            <motion.div
              key="menu"
              ref={menuRef}
              style={position}
              className="sw-glass sw-glass-strong fixed z-50 min-w-[12rem] max-w-[calc(100vw-1rem)] rounded-lg p-1.5 shadow-lg"
              initial={{ opacity: 0, scale: 0.96, y: -4 }}
              animate={{ opacity: 1, scale: 1, y: 0 }}
              exit={{ opacity: 0, scale: 0.98, transition: { duration: duration.fast } }}
              transition={{ duration: duration.base, ease: ease.emphasized }}
            >
              {/* Outside role="menu", which may only hold menu items. */}
              {header !== undefined && <div className="mb-1.5 border-b border-line px-3 pb-2 pt-1.5">{header}</div>}
              <div
                id={menuId}
                role="menu"
                aria-label={label}
                tabIndex={-1}
                className="focus:outline-none"
                onKeyDown={onMenuKeyDown}
              >
                {items.map((item, index) => {
                  const Icon = item.icon;
                  return (
                    <button
                      key={item.label}
                      ref={(element) => {
                        itemRefs.current[index] = element;
                      }}
                      type="button"
                      role="menuitem"
                      tabIndex={index === active ? 0 : -1}
                      data-testid={item.testId}
                      className={cn(
                        'flex h-10 w-full items-center gap-2.5 rounded-md px-3 text-left text-sm font-medium outline-none transition-colors duration-fast',
                        'hover:bg-fg/[0.06] focus-visible:bg-fg/[0.07] focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring',
                        item.tone === 'danger' ? 'text-danger-text' : 'text-fg',
                      )}
                      onClick={() => {
                        choose(item);
                      }}
                      onPointerMove={() => {
                        if (index !== active) setActive(index);
                      }}
                    >
                      {Icon !== undefined && <Icon aria-hidden="true" className="h-4 w-4 shrink-0 opacity-80" />}
                      {item.label}
                    </button>
                  );
                })}
              </div>
            </motion.div>
          )}
        </AnimatePresence>,
        document.body,
      )}
    </>
  );
}
