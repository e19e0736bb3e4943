import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { AnimatePresence, motion } from 'framer-motion';
import { ArrowRight, Mail, X } from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { duration, ease } from '@/components/ui/motion';
import type { HomeRoomsApi, RoomInvite } from '@/features/home/api/home-rooms';
import { HomeSection } from '@/features/home/components/home-section';
import { Dot, PasswordLock, Seats } from '@/features/home/components/room-facts';
import { useVisibleResource } from '@/hooks/use-visible-resource';
import { isFull } from '@/features/home/lib/my-rooms';
import { timeAgo } from '@/lib/relative-time';
import { rateLimitMessage } from '@/lib/account-rules';
import { ApiError } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';

/** How often invitations are looked for while the page is visible. */
export const INVITES_REFRESH_MS = 15_000;

const joinButtonId = (inviteId: string): string => `invite-join-${inviteId}`;

function dismissFailure(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.isRateLimited) return rateLimitMessage(error.retryAfter);
  if (error.isServiceUnavailable) return 'The room service is not available right now. Please try again later.';
  return error.userMessage;
}

export interface RoomInvitesProps {
  load: HomeRoomsApi['myInvites'];
  dismiss: HomeRoomsApi['dismissInvite'];
  /** Focus target when the last invitation goes away with the section. */
  afterLastId: string;
}

/**
 * "Invitations": friends asking you into their rooms, with Join (the room page asks for a
 * password when there is one) and Dismiss. Looked for every {@link INVITES_REFRESH_MS} while the
 * page is visible; the section is not shown when there are none.
 */
export function RoomInvites({ load, dismiss, afterLastId }: RoomInvitesProps) {
  const invites = useVisibleResource(load, INVITES_REFRESH_MS);
  const navigate = useNavigate();
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const focusAfterChange = useRef<string | null>(null);
  const list = invites.data ?? [];

  useEffect(() => {
    if (focusAfterChange.current === null) return;
    document.getElementById(focusAfterChange.current)?.focus();
    focusAfterChange.current = null;
  }, [invites.data]);

  const onDismiss = async (invite: RoomInvite, row: HTMLElement | null): Promise<void> => {
    setPending((current) => new Set(current).add(invite.id));
    try {
      await dismiss(invite.id);
    } catch (error) {
      // Already gone (dismissed in another tab, or settled by joining): the reload shows that.
      if (!(error instanceof ApiError && error.status === 404)) {
        toast.error('Could not dismiss the invitation', dismissFailure(error));
        return;
      }
    } finally {
      setPending((current) => {
        const next = new Set(current);
        next.delete(invite.id);
        return next;
      });
    }
    if (row?.contains(document.activeElement)) {
      const index = list.findIndex((item) => item.id === invite.id);
      const neighbour = list[index + 1] ?? list[index - 1];
      focusAfterChange.current = neighbour === undefined ? afterLastId : joinButtonId(neighbour.id);
    }
    invites.update((current) => current.filter((item) => item.id !== invite.id));
    void invites.reload();
  };

  if (list.length === 0) return null;
  return (
    <HomeSection
      id="room-invites"
      testId="room-invites"
      title="Invitations"
      icon={Mail}
      count={list.length}
      description="Friends asking you to watch with them."
    >
      <ul aria-label="Invitations">
        <AnimatePresence initial={false}>
          {list.map((invite) => {
            const { room, from } = invite;
            const busy = pending.has(invite.id);
            return (
              <motion.li
                key={invite.id}
                layout="position"
                data-testid="room-invite"
                data-invite-id={invite.id}
                data-code={room.code}
                className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg px-2 py-2.5 transition-colors duration-fast hover:bg-fg/[0.035] sm:px-3"
                initial={{ opacity: 0, y: -6 }}
                animate={{ opacity: 1, y: 0 }}
                exit={{ opacity: 0, scale: 0.98, transition: { duration: duration.fast } }}
                transition={{ duration: duration.base, ease: ease.standard }}
              >
                <Avatar name={from.username} />
                <div className="min-w-0 flex-1 basis-48">
                  <p className="text-sm text-fg-muted [overflow-wrap:anywhere]" data-testid="invite-text">
                    <span className="font-semibold text-fg">{from.username}</span> invited you to{' '}
                    <span className="font-semibold text-fg">{room.name}</span>
                  </p>
                  <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 text-xs text-fg-subtle">
                    <Seats room={room} />
                    <PasswordLock hasPassword={room.hasPassword} />
                    {isFull(room) && (
                      <Badge variant="warning" className="px-2 py-0">
                        Full
                      </Badge>
                    )}
                    <Dot />
                    <span>{timeAgo(invite.createdAt)}</span>
                  </p>
                </div>
                <div className="flex w-full shrink-0 items-center gap-2 pl-[3.25rem] sm:ml-auto sm:w-auto sm:pl-0 [&>*]:flex-1 sm:[&>*]:flex-none">
                  <Button
                    id={joinButtonId(invite.id)}
                    size="sm"
                    aria-label={`Join ${room.name}`}
                    data-testid="invite-join"
                    disabled={busy}
                    onClick={() => {
                      void navigate(`/r/${encodeURIComponent(room.code)}`);
                    }}
                  >
                    Join
                    <ArrowRight aria-hidden="true" className="h-4 w-4" />
                  </Button>
                  <Button
                    size="sm"
                    variant="secondary"
                    icon={<X aria-hidden="true" className="h-4 w-4" />}
                    aria-label={`Dismiss the invitation to ${room.name}`}
                    data-testid="invite-dismiss"
                    loading={busy}
                    onClick={(event) => {
                      void onDismiss(invite, event.currentTarget.closest('li'));
                    }}
                  >
                    Dismiss
                  </Button>
                </div>
              </motion.li>
            );
          })}
        </AnimatePresence>
      </ul>
    </HomeSection>
  );
}
