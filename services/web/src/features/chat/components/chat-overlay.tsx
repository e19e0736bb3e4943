import { useEffect, useState } from 'react';
import { MessageSquare } from 'lucide-react';

import { useChatContext } from '@/features/chat/components/chat-context';
import { ChatPanel } from '@/features/chat/components/chat-panel';
import { UnreadBadge } from '@/features/chat/components/unread-badge';
import type { ChatViewer } from '@/features/chat/lib/chat-source';
import { cn } from '@/lib/cn';

export interface ChatOverlayProps {
  viewer: ChatViewer;
}

/**
 * The chat over the video in full screen (rendered inside the player's full-screen element, the
 * only part of the page that shows then): a see-through panel at the side, shown and hidden with
 * a button that carries the unread count. While it is mounted the page's own chat stands aside.
 */
export function ChatOverlay({ viewer }: ChatOverlayProps) {
  const chat = useChatContext();
  const [open, setOpen] = useState(false);
  const setOverlayActive = chat?.setOverlayActive;
  useEffect(() => {
    if (setOverlayActive === undefined) return undefined;
    setOverlayActive(true);
    return () => setOverlayActive(false);
  }, [setOverlayActive]);
  if (chat === null) return null;

  return (
    <div className="pointer-events-none absolute bottom-28 right-2 top-12 z-20 flex w-[min(22rem,calc(100%-1rem))] flex-col items-end gap-2 sm:right-3">
      <button
        type="button"
        data-testid="chat-overlay-toggle"
        aria-pressed={open}
        aria-label={open ? 'Hide chat' : chat.unread > 0 ? `Show chat, ${chat.unread} unread` : 'Show chat'}
        className="pointer-events-auto inline-flex items-center gap-1.5 rounded-full border border-white/15 bg-black/45 px-3 py-1.5 text-xs font-medium text-white/90 backdrop-blur-md transition-colors hover:bg-black/60"
        onClick={() => setOpen(!open)}
      >
        <MessageSquare aria-hidden="true" className="h-4 w-4" />
        {open ? 'Hide chat' : 'Chat'}
        {!open && <UnreadBadge count={chat.unread} className="bg-accent text-accent-fg" />}
      </button>
      {open && (
        <div
          data-testid="chat-overlay"
          className={cn(
            'pointer-events-auto flex min-h-0 w-full flex-1 flex-col overflow-hidden rounded-xl border border-white/10 bg-black/45 shadow-lg backdrop-blur-md',
          )}
        >
          <ChatPanel viewer={viewer} tone="overlay" onClose={() => setOpen(false)} className="flex-1" />
        </div>
      )}
    </div>
  );
}
