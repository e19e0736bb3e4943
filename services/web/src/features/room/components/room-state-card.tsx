import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Clock,
  CloudOff,
  DoorClosed,
  House,
  RefreshCw,
  SearchX,
  ShieldBan,
  UserX,
  Users,
  type LucideIcon,
} from 'lucide-react';

import { Button } from '@/components/ui/button';
import { buttonStyles } from '@/components/ui/button-styles';
import { GlassCard } from '@/components/ui/glass-panel';
import type { RoomSummary } from '@/features/room/api/rooms-api';
import { seatsLabel } from '@/features/room/lib/messages';
import type { RoomState, RoomStateKind } from '@/features/room/lib/room-state';
import { cn } from '@/lib/cn';

type Tone = 'danger' | 'warning' | 'neutral';

const tones: Record<Tone, string> = {
  danger: 'bg-danger/10 text-danger-text ring-danger/25',
  warning: 'bg-warning/10 text-warning-text ring-warning/25',
  neutral: 'bg-fg/[0.06] text-fg-muted ring-line',
};

const looks: Record<RoomStateKind, { icon: LucideIcon; tone: Tone; title: string; text: string }> = {
  'not-found': {
    icon: SearchX,
    tone: 'neutral',
    title: 'No room with this code',
    text: 'Check the code for typos, or ask whoever invited you for a fresh link.',
  },
  expired: {
    icon: Clock,
    tone: 'neutral',
    title: 'This room has expired',
    text: 'A room closes 24 hours after its last join or settings change. Ask the host to start a new one.',
  },
  ended: {
    icon: DoorClosed,
    tone: 'neutral',
    title: 'The owner ended this room',
    text: 'Everyone is out and the invite link no longer works.',
  },
  full: {
    icon: Users,
    tone: 'warning',
    title: 'This room is full',
    text: 'Every seat is taken. Try again when someone leaves.',
  },
  banned: {
    icon: ShieldBan,
    tone: 'danger',
    title: 'You are banned from this room',
    text: 'The owner banned you, so you cannot join it again.',
  },
  kicked: {
    icon: UserX,
    tone: 'warning',
    title: 'The owner removed you from the room',
    text: 'You can join again if you like.',
  },
  unavailable: {
    icon: CloudOff,
    tone: 'warning',
    title: 'The room could not be loaded',
    text: 'The room service is not answering right now. Check your connection and try again.',
  },
};

export interface RoomStateCardProps {
  state: RoomState;
  /** For the seat count of the "full" state. */
  summary?: RoomSummary | null;
  /** "Try again" (full, unavailable). */
  onRetry?: () => void;
  retrying?: boolean;
  /** "Join again" (kicked). */
  onJoinAgain?: () => void;
}

/**
 * The page when there is no lobby or room to show: the room is gone, full, or the visitor was
 * removed. One glass card with what happened, why when the owner said, and a way on.
 */
export function RoomStateCard({ state, summary, onRetry, retrying = false, onJoinAgain }: RoomStateCardProps) {
  const look = looks[state.kind];
  const Icon = look.icon;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const rateLimited = state.kind === 'unavailable' && state.retryAfter !== undefined;

  // The card replaces what had focus (a poll found you removed): give focus to its heading.
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body || !active.isConnected) headingRef.current?.focus();
  }, []);

  let detail: ReactNode = null;
  if ((state.kind === 'kicked' || state.kind === 'banned') && state.reason) {
    detail = (
      <p className="mt-4 rounded-lg border border-line bg-field px-4 py-3 text-left text-sm text-fg" data-testid="removal-reason">
        <span className="font-semibold">Reason: </span>
        <span className="break-words">{state.reason}</span>
      </p>
    );
  } else if (state.kind === 'full' && summary) {
    detail = (
      <p className="mt-3 text-sm font-medium text-fg" data-testid="room-seats">
        {seatsLabel(summary.seatsTaken, summary.maxParticipants)}
      </p>
    );
  }

  return (
    <div className="mx-auto w-full max-w-lg">
      <GlassCard
        as="section"
        aria-labelledby="room-state-title"
        intensity="strong"
        className="text-center"
        data-testid="room-state"
        data-state={state.kind}
      >
        <span
          className={cn(
            'mx-auto inline-flex h-12 w-12 items-center justify-center rounded-full ring-1 ring-inset',
            tones[look.tone],
          )}
        >
          <Icon aria-hidden="true" className="h-6 w-6" />
        </span>
        <h1
          ref={headingRef}
          id="room-state-title"
          tabIndex={-1}
          className="mt-4 text-balance text-2xl font-bold tracking-tight text-fg focus:outline-none"
        >
          {rateLimited ? 'Too many room lookups' : look.title}
        </h1>
        {summary && state.kind !== 'not-found' && (
          <p className="mt-1 truncate text-sm font-medium text-fg-muted">{summary.name}</p>
        )}
        <p className="mt-2 text-pretty text-sm text-fg-muted">
          {rateLimited
            ? `Too many unknown codes were tried from this network. Try again in ${state.retryAfter ?? 0} s.`
            : look.text}
        </p>
        {detail}
        <div className="mt-6 flex flex-col-reverse justify-center gap-2 xs:flex-row">
          <Link to="/" className={buttonStyles({ variant: onRetry || onJoinAgain ? 'secondary' : 'primary' })}>
            <House aria-hidden="true" className="h-4 w-4" />
            Back to home
          </Link>
          {onRetry && (
            <Button
              icon={<RefreshCw aria-hidden="true" className="h-4 w-4" />}
              loading={retrying}
              data-testid="room-retry"
              onClick={onRetry}
            >
              Try again
            </Button>
          )}
          {onJoinAgain && (
            <Button data-testid="join-again" onClick={onJoinAgain}>
              Join again
            </Button>
          )}
        </div>
      </GlassCard>
    </div>
  );
}
