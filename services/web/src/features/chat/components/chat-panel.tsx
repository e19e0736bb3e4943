import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { ArrowDown, Bell, BellOff, MessageSquare, X } from 'lucide-react';

import { Spinner } from '@/components/ui/spinner';
import { ChatComposer } from '@/features/chat/components/chat-composer';
import { useChatContext } from '@/features/chat/components/chat-context';
import { ChatMessageRow, PendingRow, type ChatTone } from '@/features/chat/components/chat-message-row';
import { useNow } from '@/features/chat/hooks/use-now';
import type { ChatViewer } from '@/features/chat/lib/chat-source';
import { cn } from '@/lib/cn';

/** Within this many px of the end counts as "at the bottom" (new messages follow). */
const BOTTOM_SLACK_PX = 40;
/** Within this many px of the top, older messages are fetched. */
const TOP_SLACK_PX = 48;

export interface ChatPanelProps {
  viewer: ChatViewer;
  tone?: ChatTone;
  /** Whether the person can see the panel now (seen messages stop counting as unread). */
  active?: boolean;
  /** A close button in the header (the phone sheet, the full-screen overlay). */
  onClose?: () => void;
  className?: string;
  /** The heading's id, for a sheet or region that is labelled by it. */
  titleId?: string;
}

/**
 * The room's chat: the messages (older ones fetched on scrolling to the top; the view follows new
 * ones only while at the bottom, else a "new messages" pill), the composer, and the sound switch.
 */
export function ChatPanel({ viewer, tone = 'panel', active = true, onClose, className, titleId: givenTitleId }: ChatPanelProps) {
  const chat = useChatContext();
  const ownTitleId = useId();
  const titleId = givenTitleId ?? ownTitleId;
  const listRef = useRef<HTMLOListElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const atBottomRef = useRef(true);
  const now = useNow(30_000);

  const state = chat?.state;
  const messages = state?.messages;
  const pending = state?.pending;
  const hasMore = state?.hasMore ?? false;
  const loadingOlder = state?.loadingOlder ?? false;
  const newestSeq = messages?.at(-1)?.seq ?? null;
  const markSeen = chat?.markSeen;
  const source = chat?.source;

  const scrollToBottom = useCallback(() => {
    const list = listRef.current;
    atBottomRef.current = true;
    setAtBottom(true);
    if (list !== null) list.scrollTop = list.scrollHeight;
  }, []);

  // Follow new messages while at the bottom; keep the reading position when older ones come in.
  const firstId = messages?.[0]?.id;
  const anchor = useRef<{ firstId: string | undefined; height: number }>({ firstId: undefined, height: 0 });
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list === null) return;
    const before = anchor.current;
    if (before.firstId !== undefined && firstId !== before.firstId && !atBottomRef.current) {
      list.scrollTop += list.scrollHeight - before.height;
    } else if (atBottomRef.current) {
      list.scrollTop = list.scrollHeight;
    }
    anchor.current = { firstId, height: list.scrollHeight };
  }, [messages, pending, firstId]);

  useEffect(() => {
    if (active && atBottom) markSeen?.();
  }, [active, atBottom, newestSeq, markSeen]);

  const onScroll = (): void => {
    const list = listRef.current;
    if (list === null) return;
    const bottom = list.scrollHeight - list.scrollTop - list.clientHeight <= BOTTOM_SLACK_PX;
    atBottomRef.current = bottom;
    setAtBottom(bottom);
    if (list.scrollTop <= TOP_SLACK_PX && hasMore && !loadingOlder) void source?.loadOlder();
  };

  if (chat === null || state === undefined || messages === undefined || pending === undefined) return null;
  const overlay = tone === 'overlay';
  const { unread, muted, setMuted, ownUserId } = chat;

  return (
    <section aria-labelledby={titleId} className={cn('flex min-h-0 flex-col', className)} data-testid="chat-panel" data-tone={tone}>
      <header className={cn('flex items-center gap-2 px-4 pb-2 pt-3 sm:px-5', overlay && 'px-3 pt-2')}>
        <MessageSquare aria-hidden="true" className={cn('h-5 w-5 shrink-0', overlay ? 'text-white/90' : 'text-accent-text')} />
        <h2 id={titleId} className={cn('text-lg font-semibold tracking-tight', overlay ? 'text-base text-white' : 'text-fg')}>
          Chat
        </h2>
        <button
          type="button"
          data-testid="chat-mute"
          aria-pressed={muted}
          aria-label={muted ? 'Chat sounds off' : 'Chat sounds on'}
          title={muted ? 'Turn chat sounds on' : 'Turn chat sounds off'}
          className={cn(
            'ml-auto inline-flex h-8 w-8 items-center justify-center rounded-full transition-colors',
            overlay ? 'text-white/80 hover:bg-white/10' : 'text-fg-muted hover:bg-fg/5 hover:text-fg',
          )}
          onClick={() => setMuted(!muted)}
        >
          {muted ? <BellOff aria-hidden="true" className="h-4 w-4" /> : <Bell aria-hidden="true" className="h-4 w-4" />}
        </button>
        {onClose !== undefined && (
          <button
            type="button"
            aria-label="Close chat"
            data-testid="chat-close"
            className={cn(
              'inline-flex h-8 w-8 items-center justify-center rounded-full transition-colors',
              overlay ? 'text-white/80 hover:bg-white/10' : 'text-fg-muted hover:bg-fg/5 hover:text-fg',
            )}
            onClick={onClose}
          >
            <X aria-hidden="true" className="h-4 w-4" />
          </button>
        )}
      </header>

      {state.unavailable && (
        <p role="status" className={cn('mx-3 rounded-lg px-3 py-2 text-xs', overlay ? 'bg-white/10 text-amber-200' : 'bg-warning/10 text-warning-text')}>
          Chat is unavailable right now. Messages you write are sent once it is back.
        </p>
      )}

      <div className="relative flex min-h-0 flex-1 flex-col">
        {!state.loaded && pending.length === 0 && (
          <div className="flex flex-1 items-center justify-center p-6">
            <Spinner size="sm" label="Loading the chat…" className={overlay ? 'text-white/80' : 'text-fg-subtle'} />
          </div>
        )}
        {/* Messages of yours kept from before a reload show at once, before the history is in. */}
        {(state.loaded || pending.length > 0) && (
          <ol
            ref={listRef}
            aria-label="Chat messages"
            aria-live="polite"
            aria-relevant="additions"
            data-testid="chat-messages"
            // Browsers make a scroller without focusable content keyboard-focusable themselves.
            className="flex min-h-0 flex-1 flex-col gap-0.5 overflow-y-auto overscroll-contain px-2 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:px-3"
            onScroll={onScroll}
          >
            {!state.loaded && (
              <li className="flex justify-center py-2">
                <Spinner size="sm" label="Loading the chat…" className={overlay ? 'text-white/80' : 'text-fg-subtle'} />
              </li>
            )}
            {hasMore && (
              <li className="flex justify-center py-1">
                <button
                  type="button"
                  data-testid="chat-load-older"
                  disabled={loadingOlder}
                  className={cn('rounded-full px-3 py-1 text-xs font-medium', overlay ? 'text-white/80 hover:bg-white/10' : 'text-accent-text hover:bg-accent/10')}
                  onClick={() => void chat.source.loadOlder()}
                >
                  {loadingOlder ? 'Loading…' : 'Load older messages'}
                </button>
              </li>
            )}
            {messages.length === 0 && pending.length === 0 && (
              <li className={cn('m-auto px-4 py-8 text-center text-sm', overlay ? 'text-white/70' : 'text-fg-muted')}>
                No messages yet. Say hello!
              </li>
            )}
            {messages.map((message) => (
              <ChatMessageRow
                key={message.id}
                message={message}
                viewer={viewer}
                ownUserId={ownUserId}
                now={now}
                tone={tone}
                onDelete={async (messageId) => {
                  await chat.source.deleteChat(messageId);
                }}
              />
            ))}
            {pending.map((entry) => (
              <PendingRow
                key={entry.clientMessageId}
                entry={entry}
                tone={tone}
                onRetry={(id) => {
                  void chat.source.retryChat(id).catch(() => undefined);
                  scrollToBottom();
                }}
                onDiscard={(id) => chat.source.discardChat(id)}
              />
            ))}
          </ol>
        )}
        {!atBottom && unread > 0 && (
          <button
            type="button"
            data-testid="chat-unread"
            className="absolute bottom-2 left-1/2 inline-flex -translate-x-1/2 items-center gap-1 rounded-full bg-accent px-3 py-1 text-xs font-semibold text-accent-fg shadow-md"
            onClick={scrollToBottom}
          >
            <ArrowDown aria-hidden="true" className="h-3.5 w-3.5" />
            {unread} new {unread === 1 ? 'message' : 'messages'}
          </button>
        )}
      </div>

      <ChatComposer userId={viewer.userId} tone={tone} onSent={scrollToBottom} />
    </section>
  );
}
