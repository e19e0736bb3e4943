import { useEffect, useState } from 'react';
import { Check, Copy } from 'lucide-react';

import { Button } from '@/components/ui/button';
import type { ButtonSize } from '@/components/ui/button-styles';
import { copyToClipboard } from '@/lib/clipboard';
import { cn } from '@/lib/cn';
import { toast } from '@/stores/toast-store';

const COPIED_FEEDBACK_MS = 2000;

export interface CopyInviteButtonProps {
  link: string;
  /** Called when copying failed, e.g. to select the link so it can be copied by hand. */
  onCopyFailed?: () => void;
  size?: ButtonSize;
  className?: string;
}

export function CopyInviteButton({ link, onCopyFailed, size, className }: CopyInviteButtonProps) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return undefined;
    const timer = window.setTimeout(() => {
      setCopied(false);
    }, COPIED_FEEDBACK_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [copied]);

  const onClick = async (): Promise<void> => {
    if (await copyToClipboard(link)) {
      setCopied(true);
      toast.success('Invite link copied', 'Send it to up to four friends.');
    } else {
      toast.error('Could not copy the link', 'Select the link and copy it yourself.');
      onCopyFailed?.();
    }
  };

  return (
    <Button
      variant={copied ? 'secondary' : 'primary'}
      icon={
        copied ? <Check aria-hidden="true" className="h-4 w-4" /> : <Copy aria-hidden="true" className="h-4 w-4" />
      }
      data-testid="copy-invite-link"
      size={size}
      // Same width in both states, so the link field beside it does not jump.
      className={cn(size === 'sm' ? 'sm:min-w-[10.5rem]' : 'sm:min-w-[11.5rem]', className)}
      onClick={() => {
        void onClick();
      }}
    >
      {copied ? 'Copied' : 'Copy invite link'}
    </Button>
  );
}
