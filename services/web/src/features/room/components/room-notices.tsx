import { useEffect, useRef, useState } from 'react';
import { Crown, Hourglass, RefreshCw, UserRoundX } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { memberName, type Member } from '@/features/room/api/rooms-api';
import { bufferingText, ownerAwayMessage, type RoomLiveSnapshot } from '@/features/room/lib/live';
import { toast } from '@/stores/toast-store';

export interface RoomNoticesProps {
  live: RoomLiveSnapshot;
  me: Member;
  members: Member[];
  /** Answer an ownership offer (`owner:reclaim`). */
  onReclaim: () => Promise<void>;
}

const banner =
  'flex items-start gap-2.5 rounded-xl border px-4 py-3 text-sm backdrop-blur-sm sm:items-center';

/**
 * What the live session has to tell everyone, above the stage: the page needs a reload, the owner
 * is away, who playback waits for; an ownership change as a toast; and the offer to take the room
 * back as a dialog.
 */
export function RoomNotices({ live, me, members, onReclaim }: RoomNoticesProps) {
  const you = live.room?.you ?? me.id;
  const away = ownerAwayMessage(live);
  const waiting = bufferingText(live.buffering, you);
  const reload = live.connection === 'closed' && live.endReason === 'incompatible';

  useOwnerChangedToast(live, you, members);

  return (
    <>
      {(reload || away !== null || waiting !== null) && (
        <div className="flex flex-col gap-2">
          {reload && (
            <div role="alert" className={`${banner} border-danger/30 bg-danger/10 text-danger-text`} data-testid="live-reload">
              <RefreshCw aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 sm:mt-0" />
              <p className="flex-1">SyncWatch was updated. Please reload the page to keep watching in sync.</p>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => {
                  window.location.reload();
                }}
              >
                Reload
              </Button>
            </div>
          )}
          {away !== null && (
            <div role="status" className={`${banner} border-warning/30 bg-warning/10 text-warning-text`} data-testid="owner-away">
              <UserRoundX aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 sm:mt-0" />
              <p>{away}</p>
            </div>
          )}
          {waiting !== null && (
            <div role="status" className={`${banner} border-line bg-glass/50 text-fg-muted`} data-testid="buffering-notice">
              <Hourglass aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 sm:mt-0" />
              <p>{waiting}</p>
            </div>
          )}
        </div>
      )}
      <OfferDialog live={live} onReclaim={onReclaim} />
    </>
  );
}

/** "Ownership passed to X" / "You are now the owner", once per `room:owner_changed`. */
function useOwnerChangedToast(live: RoomLiveSnapshot, you: string, members: Member[]): void {
  const change = live.ownerChanged;
  // Only changes that arrive while the page shows the room; one from before is old news.
  const shown = useRef(change);
  const { participants } = live;
  useEffect(() => {
    if (change === null || change === shown.current) return;
    shown.current = change;
    if (change.newOwnerMemberId === you) {
      toast.success('You are now the owner');
      return;
    }
    const member = members.find((entry) => entry.id === change.newOwnerMemberId);
    const name =
      participants.find((entry) => entry.memberId === change.newOwnerMemberId)?.name ??
      (member === undefined ? null : memberName(member));
    toast.info(name === null ? 'Ownership passed to another member' : `Ownership passed to ${name}`);
  }, [change, you, participants, members]);
}

/** The offer to take the room back, until it expires (the live session drops it) or is answered. */
function OfferDialog({ live, onReclaim }: { live: RoomLiveSnapshot; onReclaim: () => Promise<void> }) {
  const { offer } = live;
  const [dismissed, setDismissed] = useState<object | null>(null);
  const [pending, setPending] = useState(false);
  const open = offer !== null && offer !== dismissed;

  const reclaim = (): void => {
    setPending(true);
    onReclaim()
      .catch((error: unknown) => {
        toast.error('Could not take the room back', error instanceof Error ? error.message : undefined);
        setDismissed(offer);
      })
      .finally(() => {
        setPending(false);
      });
  };

  return (
    <Dialog
      open={open}
      onClose={() => {
        setDismissed(offer);
      }}
      title="Take the room back?"
      description="The room passed to someone else while you were away. You can have it back for a little while."
    >
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end" data-testid="offer-ownership">
        <Button
          variant="secondary"
          onClick={() => {
            setDismissed(offer);
          }}
        >
          Not now
        </Button>
        <Button
          icon={<Crown aria-hidden="true" className="h-4 w-4" />}
          loading={pending}
          data-testid="reclaim-ownership"
          onClick={reclaim}
        >
          Take it back
        </Button>
      </div>
    </Dialog>
  );
}
