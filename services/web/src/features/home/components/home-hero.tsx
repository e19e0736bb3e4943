import { Link } from 'react-router';
import { Plus, Sparkles } from 'lucide-react';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { buttonStyles } from '@/components/ui/button-styles';
import { GlassCard } from '@/components/ui/glass-panel';
import { JoinRoomForm } from '@/features/home/components/join-room-form';

export type HeroAudience =
  /** Signed out: the pitch, and "Create a room" leads to log in. */
  | { kind: 'visitor' }
  /** The silent sign-in of a page load is still running. */
  | { kind: 'checking' }
  | { kind: 'member'; username: string; onCreateRoom: () => void };

/**
 * The top of the home page: create a room (left) and join one by code or link (right). Visitors
 * get the pitch; signed-in people a greeting and a "Create a room" button that opens the dialog.
 */
export function HomeHero({ audience }: { audience: HeroAudience }) {
  const visitor = audience.kind === 'visitor';
  return (
    <section
      aria-labelledby="home-title"
      className="grid items-center gap-10 lg:grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)] lg:gap-16"
    >
      <div className="min-w-0">
        <Badge variant="accent">
          <Sparkles aria-hidden="true" className="h-3.5 w-3.5" />
          Watch parties, in sync
        </Badge>
        {visitor ? (
          <h1
            id="home-title"
            className="mt-5 text-balance text-4xl font-bold leading-[1.08] tracking-tight text-fg sm:text-5xl lg:text-6xl"
          >
            Watch together,{' '}
            <span className="bg-gradient-to-r from-accent via-accent-3 to-accent-2 bg-clip-text text-transparent">
              perfectly in sync.
            </span>
          </h1>
        ) : (
          <h1
            id="home-title"
            className="mt-5 text-balance text-4xl font-bold leading-[1.08] tracking-tight text-fg [overflow-wrap:anywhere] sm:text-5xl"
          >
            {audience.kind === 'member' ? (
              <>
                Welcome back,{' '}
                <span className="bg-gradient-to-r from-accent via-accent-3 to-accent-2 bg-clip-text text-transparent">
                  {audience.username}
                </span>
              </>
            ) : (
              'Welcome back'
            )}
          </h1>
        )}
        <p className="mt-5 max-w-xl text-pretty text-lg leading-relaxed text-fg-muted">
          {visitor
            ? 'Start a room, share the link and press play. Up to five people see the same moment at the same time, and talk it through with voice and chat.'
            : 'Start a room for up to five people and share its link, or join a friend’s room with their code.'}
        </p>
        <div className="mt-8 flex flex-col gap-3 xs:flex-row xs:items-center">
          {audience.kind === 'member' ? (
            <Button size="lg" aria-haspopup="dialog" data-testid="create-room" onClick={audience.onCreateRoom}>
              <Plus aria-hidden="true" className="h-5 w-5" />
              Create a room
            </Button>
          ) : audience.kind === 'checking' ? (
            <Button size="lg" disabled data-testid="create-room">
              <Plus aria-hidden="true" className="h-5 w-5" />
              Create a room
            </Button>
          ) : (
            <>
              {/* Log in comes back here by itself (no `next` means home). */}
              <Link to="/login" className={buttonStyles({ size: 'lg' })} data-testid="create-room">
                <Plus aria-hidden="true" className="h-5 w-5" />
                Create a room
              </Link>
              <p className="text-sm text-fg-subtle xs:max-w-[15rem]">
                Hosts log in or{' '}
                <Link
                  to="/register"
                  className="font-medium text-accent-text underline-offset-2 hover:underline focus-visible:rounded-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                >
                  sign up
                </Link>{' '}
                to create rooms. Guests only need the link.
              </p>
            </>
          )}
        </div>
      </div>

      <GlassCard as="section" aria-labelledby="join-title" className="min-w-0">
        <h2 id="join-title" className="text-xl font-semibold tracking-tight text-fg">
          Join a room
        </h2>
        <p className="mb-5 mt-1 text-sm text-fg-muted">Got an invite? Enter the code or paste the link.</p>
        <JoinRoomForm />
      </GlassCard>
    </section>
  );
}
