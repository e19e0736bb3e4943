import type { ChatMessage } from '@/lib/protocol/v1.gen';

/**
 * Whether a message is worth a badge and a sound: someone else's words (not a system message,
 * not yours, not deleted).
 */
export function isFromOthers(message: ChatMessage, ownUserId: string | null): boolean {
  return message.kind === 'user' && !message.deleted && (ownUserId === null || message.authorUserId !== ownUserId);
}

/** How many messages from others came after `seenSeq`. */
export function countUnread(messages: readonly ChatMessage[], seenSeq: number | null, ownUserId: string | null): number {
  if (seenSeq === null) return 0;
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message === undefined || message.seq <= seenSeq) break;
    if (isFromOthers(message, ownUserId)) count += 1;
  }
  return count;
}
