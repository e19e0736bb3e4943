import type { ChatMessage } from '@/lib/protocol/v1.gen';

/**
 * The room's chat as this feature reads it. The store itself is the sync feature's `LiveChat`
 * (on the room's socket), which the route hands in; this is the part of its shape the panel uses
 * (features do not import each other), so a `LiveChat` fits it as it is.
 */
export interface PendingChat {
  clientMessageId: string;
  content: string;
  createdAt: number;
  status: 'queued' | 'sending' | 'failed';
  error: { code: string; message: string; retryAfter: number | null } | null;
}

export interface ChatSnapshot {
  messages: readonly ChatMessage[];
  hasMore: boolean;
  loaded: boolean;
  loadingOlder: boolean;
  pending: readonly PendingChat[];
  unavailable: boolean;
  rateLimitedUntil: number | null;
}

export interface ChatSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ChatSnapshot;
  sendChat(content: string): Promise<ChatMessage>;
  retryChat(clientMessageId: string): Promise<ChatMessage>;
  discardChat(clientMessageId: string): void;
  deleteChat(messageId: string): Promise<ChatMessage>;
  loadOlder(): Promise<void>;
}

/** Who is reading: their user id (null for a guest, who reads along) and whether they own the room. */
export interface ChatViewer {
  userId: string | null;
  owner: boolean;
}

/** Whether `viewer` may delete `message`: the owner any, a member their own. */
export function canDelete(viewer: ChatViewer, message: ChatMessage): boolean {
  if (message.deleted || viewer.userId === null) return false;
  if (viewer.owner) return true;
  return message.kind === 'user' && message.authorUserId === viewer.userId;
}
