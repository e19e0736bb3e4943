import type { ChatMessage } from '@/lib/protocol/v1.gen';

/** The id the chat service would give message `seq`: ids sort in seq order. */
export function chatMessageId(seq: number): string {
  return `msg_${String(seq).padStart(12, '0')}${'0'.repeat(16)}`;
}

/** A complete stored user message (`chat:message`), by bob unless told otherwise. */
export function chatMessage(seq: number, patch: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: chatMessageId(seq),
    roomId: 'rm_1',
    seq,
    kind: 'user',
    authorUserId: 'u_bob',
    authorName: 'bob',
    content: `message ${seq}`,
    systemKind: null,
    systemData: {},
    clientMessageId: `client-${seq}`,
    createdAt: '2026-11-24T21:00:00Z',
    deleted: false,
    deletedAt: null,
    ...patch,
  };
}

/** A system message ("ann paused"): no author id, no content. */
export function systemMessage(
  seq: number,
  systemKind: string,
  authorName: string,
  systemData: Record<string, string> = {},
  patch: Partial<ChatMessage> = {},
): ChatMessage {
  return chatMessage(seq, {
    kind: 'system',
    authorUserId: '',
    authorName,
    content: '',
    systemKind,
    systemData,
    clientMessageId: null,
    ...patch,
  });
}

/** `message` as its tombstone. */
export function tombstone(message: ChatMessage): ChatMessage {
  return { ...message, content: '', systemData: {}, deleted: true, deletedAt: '2026-11-24T21:05:00Z' };
}
