import { useId, useRef, type KeyboardEvent } from 'react';
import { LogIn, SendHorizontal } from 'lucide-react';

import { useChatContext } from '@/features/chat/components/chat-context';
import type { ChatTone } from '@/features/chat/components/chat-message-row';
import { useNow } from '@/features/chat/hooks/use-now';
import { MAX_MESSAGE_CHARS, messageLength } from '@/features/chat/lib/limits';
import { cn } from '@/lib/cn';

export const GUEST_NOTICE = 'Sign in to chat — guests can read along';

export interface ChatComposerProps {
  /** Null for a guest: they read along. */
  userId: string | null;
  tone: ChatTone;
  /** A message went out (the list follows it to the bottom). */
  onSent?: () => void;
}

/**
 * Where a member writes: Enter sends, Shift+Enter starts a new line; a counter towards 2,000
 * characters; "Slow down" while the rate limit holds. Guests get a notice instead.
 */
export function ChatComposer({ userId, tone, onSent }: ChatComposerProps) {
  const chat = useChatContext();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const until = chat?.state.rateLimitedUntil ?? null;
  const now = useNow(1000, until !== null);
  if (chat === null) return null;
  const overlay = tone === 'overlay';

  if (userId === null) {
    return (
      <p
        data-testid="chat-guest-notice"
        className={cn(
          'm-2 flex items-center gap-2 rounded-xl px-3 py-2.5 text-sm sm:m-3',
          overlay ? 'bg-white/10 text-white/80' : 'bg-fg/[0.04] text-fg-muted',
        )}
      >
        <LogIn aria-hidden="true" className="h-4 w-4 shrink-0" />
        {GUEST_NOTICE}
      </p>
    );
  }

  const { draft, setDraft, source } = chat;
  const length = messageLength(draft);
  const tooLong = length > MAX_MESSAGE_CHARS;
  const waitSeconds = until === null ? 0 : Math.ceil((until - now) / 1000);
  const slowDown = waitSeconds > 0;
  const canSend = length > 0 && !tooLong && !slowDown;

  const send = (): void => {
    if (!canSend) return;
    // The failure, if any, shows on the message itself (with a Retry).
    void source.sendChat(draft.trim()).catch(() => undefined);
    setDraft('');
    onSent?.();
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };

  return (
    <form
      className="flex flex-col gap-1 p-2 sm:p-3"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {slowDown && (
        <p role="status" data-testid="chat-rate-limit" className={cn('px-1 text-xs font-medium', overlay ? 'text-amber-200' : 'text-warning-text')}>
          Slow down — you can send again in {waitSeconds} s
        </p>
      )}
      <div
        className={cn(
          'flex items-end gap-2 rounded-2xl border px-2 py-1.5 focus-within:ring-2 focus-within:ring-ring',
          overlay ? 'border-white/20 bg-black/30' : 'border-line bg-field',
        )}
      >
        <label className="sr-only" htmlFor={`${counterId}-input`}>
          Message
        </label>
        <textarea
          id={`${counterId}-input`}
          ref={inputRef}
          data-testid="chat-input"
          rows={1}
          value={draft}
          placeholder="Say something…"
          aria-describedby={counterId}
          aria-invalid={tooLong || undefined}
          className={cn(
            'max-h-32 min-h-[2.25rem] flex-1 resize-none bg-transparent px-1.5 py-1.5 text-sm [field-sizing:content] focus:outline-none',
            overlay ? 'text-white placeholder:text-white/50' : 'text-fg placeholder:text-fg-subtle',
          )}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          data-testid="chat-send"
          aria-label="Send message"
          disabled={!canSend}
          className="mb-0.5 inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-accent text-accent-fg transition-colors hover:bg-accent-hover disabled:cursor-not-allowed disabled:opacity-40"
        >
          <SendHorizontal aria-hidden="true" className="h-4 w-4" />
        </button>
      </div>
      <p
        id={counterId}
        data-testid="chat-counter"
        aria-live={tooLong ? 'polite' : 'off'}
        className={cn(
          'px-1 text-right text-[11px] tabular-nums',
          tooLong ? 'font-medium text-danger-text' : overlay ? 'text-white/50' : 'text-fg-subtle',
        )}
      >
        {tooLong ? `${length - MAX_MESSAGE_CHARS} over the limit · ` : ''}
        {length}/{MAX_MESSAGE_CHARS}
      </p>
    </form>
  );
}
