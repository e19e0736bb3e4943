import { useRef } from 'react';
import { Link } from 'react-router';
import { CloudOff, House, Users } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { buttonStyles } from '@/components/ui/button-styles';
import { GlassCard } from '@/components/ui/glass-panel';
import { CopyInviteButton } from '@/features/room/components/copy-invite-button';
import { env } from '@/lib/env';
import { buildInviteLink } from '@/lib/invite-code';

export interface RoomLobbyProps {
  /** A valid, normalised invite code. */
  code: string;
}

/**
 * The room page before the room service exists: the invite can be shared, and the page says
 * plainly that the room itself could not be loaded. Nothing here pretends there is a room.
 */
export function RoomLobby({ code }: RoomLobbyProps) {
  const linkRef = useRef<HTMLInputElement>(null);
  const link = buildInviteLink(code, env.publicOrigin ?? window.location.origin);

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-5">
      <GlassCard as="section" aria-labelledby="room-title" intensity="strong">
        <div className="flex flex-wrap items-center gap-2">
          <Badge variant="accent">Watch party</Badge>
          <Badge>
            <Users aria-hidden="true" className="h-3.5 w-3.5" />
            Up to 5 people
          </Badge>
        </div>
        <h1 id="room-title" className="mt-4 text-3xl font-bold tracking-tight text-fg sm:text-4xl">
          Room lobby
        </h1>

        <p className="mt-6 text-sm font-medium text-fg-muted" id="room-code-label">
          Invite code
        </p>
        <p
          aria-labelledby="room-code-label"
          data-testid="room-code"
          className="mt-1 break-all font-mono text-3xl font-semibold tracking-[0.25em] text-fg sm:text-4xl"
        >
          {code}
        </p>

        <div className="mt-6 flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex min-w-0 flex-1 flex-col gap-1.5">
            <label htmlFor="invite-link" className="text-sm font-medium text-fg">
              Invite link
            </label>
            <input
              ref={linkRef}
              id="invite-link"
              readOnly
              value={link}
              data-testid="invite-link"
              className="h-11 w-full min-w-0 rounded-md border border-line bg-field px-3.5 font-mono text-sm text-fg-muted focus:border-accent focus:outline-none focus:ring-4 focus:ring-accent/20"
              onFocus={(event) => {
                event.currentTarget.select();
              }}
            />
          </div>
          <CopyInviteButton
            link={link}
            onCopyFailed={() => {
              linkRef.current?.focus();
            }}
          />
        </div>
      </GlassCard>

      <GlassCard as="section" aria-labelledby="room-status-title" intensity="subtle" data-testid="room-unavailable">
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <span className="inline-flex h-11 w-11 shrink-0 items-center justify-center rounded-md bg-warning/10 text-warning-text ring-1 ring-inset ring-warning/25">
            <CloudOff aria-hidden="true" className="h-5 w-5" />
          </span>
          <div className="min-w-0">
            <h2 id="room-status-title" className="text-lg font-semibold text-fg">
              The room could not be loaded yet
            </h2>
            <p className="mt-1.5 text-sm leading-relaxed text-fg-muted">
              This version of SyncWatch cannot reach the room service, so there is no video, chat or participant list
              to show. The invite code above is all this page knows.
            </p>
            <Link to="/" className={buttonStyles({ variant: 'secondary', size: 'sm', className: 'mt-4' })}>
              <House aria-hidden="true" className="h-4 w-4" />
              Back to home
            </Link>
          </div>
        </div>
      </GlassCard>
    </div>
  );
}
