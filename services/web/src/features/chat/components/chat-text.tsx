import { Fragment, useMemo } from 'react';

import { splitLinks } from '@/features/chat/lib/linkify';
import { cn } from '@/lib/cn';

export interface ChatTextProps {
  text: string;
  className?: string;
  linkClassName?: string;
}

/**
 * A message's words, as text: React escapes them, so markup in a message shows as the characters
 * typed. Only http(s) addresses become links, opening in a new tab without a referrer or the opener.
 */
export function ChatText({ text, className, linkClassName }: ChatTextProps) {
  const segments = useMemo(() => splitLinks(text), [text]);
  return (
    <p className={cn('whitespace-pre-wrap break-words [overflow-wrap:anywhere]', className)} data-testid="chat-content">
      {segments.map((segment, index) =>
        segment.kind === 'link' ? (
          <a
            key={index}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className={cn('underline decoration-1 underline-offset-2 hover:decoration-2', linkClassName)}
          >
            {segment.text}
          </a>
        ) : (
          <Fragment key={index}>{segment.text}</Fragment>
        ),
      )}
    </p>
  );
}
