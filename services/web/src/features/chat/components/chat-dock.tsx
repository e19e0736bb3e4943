import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { AnimatePresence, motion } from 'framer-motion';
import { MessageSquare } from 'lucide-react';

import { GlassPanel } from '@/components/ui/glass-panel';
import { duration, ease } from '@/components/ui/motion';
import { useChatContext } from '@/features/chat/components/chat-context';
import { ChatPanel } from '@/features/chat/components/chat-panel';
import { UnreadBadge } from '@/features/chat/components/unread-badge';
import type { ChatViewer } from '@/features/chat/lib/chat-source';
import { useMediaQuery } from '@/hooks/use-media-query';

/** Tailwind's `lg`: from here the chat is a column beside the video. */
export const DESKTOP_QUERY = '(min-width: 1024px)';

export interface ChatDockProps {
  viewer: ChatViewer;
}

/**
 * The chat on the room page: a column beside the video from `lg` up; on phones a "Chat" button
 * (with the unread count) that opens it as a bottom sheet. Stands aside while the full-screen
 * overlay has the chat.
 */
export function ChatDock({ viewer }: ChatDockProps) {
  const chat = useChatContext();
  const desktop = useMediaQuery(DESKTOP_QUERY);
  const [open, setOpen] = useState(false);
  if (chat === null || chat.overlayActive) return null;

  if (desktop) {
    return (
      <GlassPanel as="div" className="flex h-[min(40rem,75vh)] min-w-0 flex-col rounded-2xl" data-testid="chat-column">
        <ChatPanel viewer={viewer} className="flex-1" />
      </GlassPanel>
    );
  }

  return (
    <>
      {!open && (
        <button
          type="button"
          data-testid="chat-open"
          aria-label={chat.unread > 0 ? `Open chat, ${chat.unread} unread` : 'Open chat'}
          className="fixed bottom-4 right-4 z-40 inline-flex items-center gap-2 rounded-full bg-accent px-4 py-2.5 text-sm font-semibold text-accent-fg shadow-lg transition-colors hover:bg-accent-hover"
          onClick={() => setOpen(true)}
        >
          <MessageSquare aria-hidden="true" className="h-4 w-4" />
          Chat
          <UnreadBadge count={chat.unread} className="bg-white text-accent" />
        </button>
      )}
      <ChatSheet open={open} onClose={() => setOpen(false)} viewer={viewer} />
    </>
  );
}

function ChatSheet({ open, onClose, viewer }: { open: boolean; onClose: () => void; viewer: ChatViewer }) {
  return createPortal(
    <AnimatePresence>{open && <SheetContent key="chat-sheet" onClose={onClose} viewer={viewer} />}</AnimatePresence>,
    document.body,
  );
}

function SheetContent({ onClose, viewer }: { onClose: () => void; viewer: ChatViewer }) {
  const titleId = useId();
  const sheetRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  // Into the sheet on open (the message field, else the sheet), back to the button on close;
  // Escape closes.
  useEffect(() => {
    const sheet = sheetRef.current;
    const target = sheet?.querySelector<HTMLElement>('[data-testid="chat-input"]') ?? sheet;
    target?.focus();
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onCloseRef.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.querySelector<HTMLElement>('[data-testid="chat-open"]')?.focus();
    };
  }, []);

  return (
    <div className="fixed inset-0 z-50 flex items-end">
      <motion.div
        aria-hidden="true"
        className="absolute inset-0 bg-[rgb(8_9_20/0.45)] backdrop-blur-[2px]"
        initial={{ opacity: 0 }}
        animate={{ opacity: 1 }}
        exit={{ opacity: 0 }}
        transition={{ duration: duration.base, ease: ease.standard }}
        onClick={() => onCloseRef.current()}
      />
      <motion.div
        ref={sheetRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid="chat-sheet"
        className="sw-glass sw-glass-strong relative flex h-[80dvh] w-full flex-col rounded-t-2xl pb-[env(safe-area-inset-bottom)] shadow-lg focus:outline-none"
        initial={{ y: '100%' }}
        animate={{ y: 0 }}
        exit={{ y: '100%' }}
        transition={{ duration: duration.slow, ease: ease.emphasized }}
      >
        <div aria-hidden="true" className="mx-auto mt-2 h-1 w-10 shrink-0 rounded-full bg-fg/20" />
        <ChatPanel viewer={viewer} titleId={titleId} onClose={() => onCloseRef.current()} className="flex-1" />
      </motion.div>
    </div>
  );
}
