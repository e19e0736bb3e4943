import { createContext, useContext } from 'react';

import type { ChatSnapshot, ChatSource } from '@/features/chat/lib/chat-source';

/** What the chat's surfaces (column, phone sheet, full-screen overlay) share on one page. */
export interface ChatContextValue {
  source: ChatSource;
  state: ChatSnapshot;
  /** The signed-in user's id: their messages are "You", and never unread or chimed. */
  ownUserId: string | null;
  /** The message being written, kept when it moves between surfaces (e.g. into full screen). */
  draft: string;
  setDraft: (draft: string) => void;
  /** Messages from others since the viewer last saw the end of the chat. */
  unread: number;
  /** The viewer sees the end of the chat now. */
  markSeen: () => void;
  muted: boolean;
  setMuted: (muted: boolean) => void;
  /** The full-screen overlay is up: the other surfaces stand aside (one input on the page). */
  overlayActive: boolean;
  setOverlayActive: (active: boolean) => void;
}

export const ChatContext = createContext<ChatContextValue | null>(null);

/** The page's chat, or null when there is none (no live session yet). */
export function useChatContext(): ChatContextValue | null {
  return useContext(ChatContext);
}
