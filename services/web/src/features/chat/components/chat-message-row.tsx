import { useState } from 'react';
import { AlertCircle, Clock3, RotateCcw, Sparkles, Trash2, X } from 'lucide-react';

import { ChatText } from '@/features/chat/components/chat-text';
import { canDelete, type ChatViewer, type PendingChat } from '@/features/chat/lib/chat-source';
import { systemText } from '@/features/chat/lib/system-text';
import { cn } from '@/lib/cn';
import type { ChatMessage } from '@/lib/protocol/v1.gen';
import { timeAgo } from '@/lib/relative-time';

/** `panel`: on the page's glass; `overlay`: white on the dark video in full screen. */
export type ChatTone = 'panel' | 'overlay';

const exactTime = (iso: string): string => {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : new Date(time).toLocaleString();
};

/** "just now", "5 minutes ago": never "in 2 minutes" when this device's clock is behind the server's. */
const sentAgo = (iso: string, now: number): string => {
  const time = Date.parse(iso);
  return timeAgo(iso, Number.isNaN(time) ? now : Math.max(now, time));
};

export interface ChatMessageRowProps {
  message: ChatMessage;
  viewer: ChatViewer;
  ownUserId: string | null;
  now: number;
  tone: ChatTone;
  onDelete: (messageId: string) => Promise<void>;
}

/** One stored message: a person's words (yours on the right), or a room event in small type. */
export function ChatMessageRow({ message, viewer, ownUserId, now, tone, onDelete }: ChatMessageRowProps) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const own = message.kind === 'user' && ownUserId !== null && message.authorUserId === ownUserId;
  const deletable = canDelete(viewer, message);
  const overlay = tone === 'overlay';

  const confirmDelete = async (): Promise<void> => {
    setDeleting(true);
    setError(null);
    try {
      await onDelete(message.id);
      setConfirming(false);
    } catch (caught) {
      setError(caught instanceof Error && caught.message !== '' ? caught.message : 'Could not delete the message.');
    } finally {
      setDeleting(false);
    }
  };

  const actions = deletable && (
    <div className="flex items-center gap-1">
      {confirming ? (
        <span className="flex items-center gap-1 text-xs" data-testid="chat-delete-confirm">
          <span className={overlay ? 'text-white/80' : 'text-fg-muted'}>Delete for everyone?</span>
          <button
            type="button"
            className="rounded-full bg-danger px-2 py-0.5 font-medium text-white hover:bg-danger-hover disabled:opacity-60"
            disabled={deleting}
            data-testid="chat-delete-yes"
            onClick={() => void confirmDelete()}
          >
            {deleting ? 'Deleting…' : 'Delete'}
          </button>
          <button
            type="button"
            className={cn('rounded-full px-2 py-0.5 font-medium', overlay ? 'text-white/80 hover:bg-white/10' : 'text-fg-muted hover:bg-fg/5')}
            onClick={() => {
              setConfirming(false);
              setError(null);
            }}
          >
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          aria-label={message.kind === 'system' ? 'Delete this room message' : own ? 'Delete your message' : `Delete ${message.authorName}’s message`}
          title="Delete"
          data-testid="chat-delete"
          className={cn(
            'rounded-full p-1 opacity-0 transition-opacity focus-visible:opacity-100 group-hover/row:opacity-100 [@media(hover:none)]:opacity-100',
            overlay ? 'text-white/70 hover:bg-white/10 hover:text-white' : 'text-fg-subtle hover:bg-fg/5 hover:text-danger-text',
          )}
          onClick={() => setConfirming(true)}
        >
          <Trash2 aria-hidden="true" className="h-3.5 w-3.5" />
        </button>
      )}
    </div>
  );

  const common = {
    'data-testid': 'chat-message',
    'data-kind': message.kind,
    'data-message-id': message.id,
    'data-deleted': message.deleted || undefined,
  };

  if (message.kind === 'system') {
    return (
      <li {...common} className="group/row flex flex-col items-center gap-0.5 px-2 py-1">
        <div className="flex max-w-full items-center gap-1.5">
          <p
            className={cn(
              'inline-flex max-w-full items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs',
              overlay ? 'bg-white/10 text-white/75' : 'bg-fg/[0.04] text-fg-muted',
            )}
          >
            <Sparkles aria-hidden="true" className="h-3 w-3 shrink-0 opacity-70" />
            <span className={cn('min-w-0 truncate', message.deleted && 'italic')}>
              {message.deleted ? 'Message deleted' : systemText(message)}
            </span>
            <time dateTime={message.createdAt} title={exactTime(message.createdAt)} className="shrink-0 opacity-70">
              · {sentAgo(message.createdAt, now)}
            </time>
          </p>
          {actions}
        </div>
        {error !== null && <p className="text-xs text-danger-text">{error}</p>}
      </li>
    );
  }

  return (
    <li {...common} data-own={own || undefined} className={cn('group/row flex flex-col gap-0.5 px-1 py-1', own ? 'items-end' : 'items-start')}>
      <div className={cn('flex items-baseline gap-1.5 px-1 text-xs', own && 'flex-row-reverse')}>
        <span className={cn('font-semibold', overlay ? 'text-white' : 'text-fg')} data-testid="chat-author">
          {own ? 'You' : message.authorName}
        </span>
        <time
          dateTime={message.createdAt}
          title={exactTime(message.createdAt)}
          className={overlay ? 'text-white/60' : 'text-fg-subtle'}
        >
          {sentAgo(message.createdAt, now)}
        </time>
      </div>
      <div className={cn('flex max-w-full items-center gap-1', own && 'flex-row-reverse')}>
        {message.deleted ? (
          <p
            className={cn(
              'rounded-2xl px-3 py-1.5 text-sm italic',
              overlay ? 'bg-white/10 text-white/60' : 'border border-line text-fg-subtle',
            )}
          >
            Message deleted
          </p>
        ) : (
          <ChatText
            text={message.content}
            className={cn(
              'max-w-[85%] rounded-2xl px-3 py-1.5 text-sm',
              own
                ? 'rounded-br-md bg-accent text-accent-fg'
                : overlay
                  ? 'rounded-bl-md bg-white/15 text-white'
                  : 'rounded-bl-md bg-fg/[0.06] text-fg',
            )}
          />
        )}
        {actions}
      </div>
      {error !== null && <p className="px-1 text-xs text-danger-text">{error}</p>}
    </li>
  );
}

export interface PendingRowProps {
  entry: PendingChat;
  tone: ChatTone;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
}

/** A message of yours the server does not have yet: "Sending…", or why not and a Retry. */
export function PendingRow({ entry, tone, onRetry, onDiscard }: PendingRowProps) {
  const failed = entry.status === 'failed';
  const overlay = tone === 'overlay';
  return (
    <li
      data-testid="chat-message"
      data-kind="user"
      data-pending={entry.status}
      data-client-message-id={entry.clientMessageId}
      className="flex flex-col items-end gap-0.5 px-1 py-1"
    >
      <ChatText
        text={entry.content}
        className={cn(
          'max-w-[85%] rounded-2xl rounded-br-md px-3 py-1.5 text-sm',
          failed ? 'border border-danger/50 bg-danger/10 text-fg' : 'bg-accent/60 text-accent-fg',
          overlay && failed && 'text-white',
        )}
      />
      {failed ? (
        <div className="flex flex-wrap items-center justify-end gap-x-2 gap-y-0.5 px-1 text-xs" role="alert">
          <span className={cn('inline-flex items-center gap-1', overlay ? 'text-red-200' : 'text-danger-text')} data-testid="chat-failed">
            <AlertCircle aria-hidden="true" className="h-3.5 w-3.5" />
            Not sent{entry.error === null ? '' : `: ${entry.error.message}`}
          </span>
          <button
            type="button"
            data-testid="chat-retry"
            className={cn('inline-flex items-center gap-1 font-medium underline-offset-2 hover:underline', overlay ? 'text-white' : 'text-accent-text')}
            onClick={() => onRetry(entry.clientMessageId)}
          >
            <RotateCcw aria-hidden="true" className="h-3 w-3" />
            Retry
          </button>
          <button
            type="button"
            aria-label="Discard this message"
            className={cn('inline-flex items-center gap-0.5 hover:underline', overlay ? 'text-white/70' : 'text-fg-muted')}
            onClick={() => onDiscard(entry.clientMessageId)}
          >
            <X aria-hidden="true" className="h-3 w-3" />
            Discard
          </button>
        </div>
      ) : (
        <span className={cn('inline-flex items-center gap-1 px-1 text-xs', overlay ? 'text-white/60' : 'text-fg-subtle')} data-testid="chat-sending">
          <Clock3 aria-hidden="true" className="h-3 w-3" />
          Sending…
        </span>
      )}
    </li>
  );
}
