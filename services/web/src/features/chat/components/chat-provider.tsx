import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';

import { ChatContext, type ChatContextValue } from '@/features/chat/components/chat-context';
import { createChime, readChatMuted, watchForGesture, writeChatMuted, type Chime } from '@/features/chat/lib/chat-sound';
import type { ChatSnapshot, ChatSource } from '@/features/chat/lib/chat-source';
import { countUnread, isFromOthers } from '@/features/chat/lib/unread';
import { useSessionStore } from '@/stores/session-store';

const EMPTY: ChatSnapshot = Object.freeze<ChatSnapshot>({
  messages: [],
  hasMore: false,
  loaded: false,
  loadingOlder: false,
  pending: [],
  unavailable: false,
  rateLimitedUntil: null,
});

const noSubscription = (): (() => void) => () => undefined;

export interface ChatProviderProps {
  /** The room's chat (the live session's); null until there is one. */
  chat: ChatSource | null;
  children: ReactNode;
}

/**
 * The page's chat for every surface below it: its state (one subscription), the draft, what the
 * viewer has seen (for the unread badges), and the sound — a soft chime when someone else's message
 * arrives, unless muted (remembered in this browser), and never before the person has touched the
 * page (browsers block sound until then).
 */
export function ChatProvider({ chat, children }: ChatProviderProps) {
  const subscribe = useCallback((listener: () => void) => (chat === null ? noSubscription() : chat.subscribe(listener)), [chat]);
  const getSnapshot = useCallback(() => (chat === null ? EMPTY : chat.getSnapshot()), [chat]);
  const state = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  const ownUserId = useSessionStore((session) => session.user?.id ?? null);

  const [draft, setDraft] = useState('');
  const [muted, setMutedState] = useState(readChatMuted);
  const [overlayActive, setOverlayActive] = useState(false);
  const setMuted = useCallback((next: boolean) => {
    setMutedState(next);
    writeChatMuted(next);
  }, []);

  // ---- seen and unread -----------------------------------------------------------------------

  const newestSeq = state.messages.at(-1)?.seq ?? null;
  const [seen, setSeen] = useState<{ chat: ChatSource | null; seq: number | null }>({ chat, seq: null });
  // A new session starts unseen-free: what is already there when it loads counts as seen.
  const seenSeq = seen.chat === chat ? seen.seq : null;
  useEffect(() => {
    if (state.loaded && seenSeq === null) setSeen({ chat, seq: newestSeq ?? 0 });
  }, [chat, state.loaded, seenSeq, newestSeq]);
  const markSeen = useCallback(() => {
    setSeen((current) => {
      const seq = Math.max(newestSeq ?? 0, current.chat === chat ? (current.seq ?? 0) : 0);
      return current.chat === chat && current.seq === seq ? current : { chat, seq };
    });
  }, [chat, newestSeq]);
  const unread = countUnread(state.messages, seenSeq, ownUserId);

  // ---- sound ---------------------------------------------------------------------------------

  const gestured = useRef(false);
  useEffect(
    () =>
      watchForGesture(() => {
        gestured.current = true;
      }),
    [],
  );
  const chime = useRef<Chime | null>(null);
  useEffect(
    () => () => {
      chime.current?.dispose();
      chime.current = null;
    },
    [],
  );
  const heard = useRef<{ chat: ChatSource | null; seq: number | null }>({ chat: null, seq: null });
  const { messages, loaded } = state;
  useEffect(() => {
    if (!loaded) return;
    const newest = messages.at(-1)?.seq ?? 0;
    const before = heard.current.chat === chat ? heard.current.seq : null;
    heard.current = { chat, seq: Math.max(newest, before ?? 0) };
    // The first page is history, not news.
    if (before === null || newest <= before || muted || !gestured.current) return;
    if (messages.some((message) => message.seq > before && isFromOthers(message, ownUserId))) {
      chime.current ??= createChime();
      chime.current.play();
    }
  }, [chat, loaded, messages, muted, ownUserId]);

  const value = useMemo<ChatContextValue | null>(
    () =>
      chat === null
        ? null
        : { source: chat, state, ownUserId, draft, setDraft, unread, markSeen, muted, setMuted, overlayActive, setOverlayActive },
    [chat, state, ownUserId, draft, unread, markSeen, muted, setMuted, overlayActive],
  );
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}
