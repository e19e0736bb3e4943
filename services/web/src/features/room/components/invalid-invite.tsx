import { Link } from 'react-router';
import { Link2Off } from 'lucide-react';

import { buttonStyles } from '@/components/ui/button-styles';
import { GlassCard } from '@/components/ui/glass-panel';
import { INVITE_ERROR_MESSAGES } from '@/lib/invite-code';

/** Shown for /r/<something> that cannot be an invite code. */
export function InvalidInvite() {
  return (
    <div className="mx-auto w-full max-w-lg">
      <GlassCard as="section" aria-labelledby="invalid-invite-title" intensity="strong" className="text-center">
        <span className="mx-auto inline-flex h-12 w-12 items-center justify-center rounded-full bg-danger/10 text-danger-text ring-1 ring-inset ring-danger/25">
          <Link2Off aria-hidden="true" className="h-6 w-6" />
        </span>
        <h1 id="invalid-invite-title" className="mt-4 text-2xl font-bold tracking-tight text-fg">
          This invite link is not valid
        </h1>
        <p className="mt-2 text-sm text-fg-muted">{INVITE_ERROR_MESSAGES['bad-code']}</p>
        <Link to="/" className={buttonStyles({ className: 'mt-6' })}>
          Enter a code
        </Link>
      </GlassCard>
    </div>
  );
}
