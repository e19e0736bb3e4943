/** The longest message the chat stores (`CHAT_MAX_MESSAGE_CHARS`, docs/api/chat.md). */
export const MAX_MESSAGE_CHARS = 2000;

/**
 * A message's length as the chat service counts it: characters (code points) of the trimmed
 * text, CRLF read as one newline. (`String.length` would count an emoji as two.)
 */
export function messageLength(text: string): number {
  return Array.from(text.replace(/\r\n?/g, '\n').trim()).length;
}
