import { useCallback } from 'react';

import {
  banMember,
  kickMember,
  memberName,
  setControl,
  transferOwnership,
  updateRoom,
  type Member,
  type Room,
} from '@/features/room/api/rooms-api';
import { usePendingKeys } from '@/features/room/hooks/use-pending-keys';
import { roomErrorMessage } from '@/features/room/lib/messages';
import { ApiError } from '@/lib/http';
import { toast } from '@/stores/toast-store';

export interface OwnerActions {
  isPending: (key: string) => boolean;
  kick: (member: Member, reason: string) => Promise<boolean>;
  ban: (member: Member, reason: string) => Promise<boolean>;
  makeOwner: (member: Member) => Promise<boolean>;
  setControl: (member: Member, allowed: boolean) => Promise<boolean>;
  /** Makes `member` the handover delegate, or clears the delegate with null. */
  setDelegate: (member: Member | null) => Promise<boolean>;
}

export interface OwnerActionsOptions {
  /** Re-read the membership: called after every action, and after a failure (the list may be stale). */
  onChanged: () => Promise<void>;
  /** A room the server answered with, shown at once. */
  onRoom: (room: Room) => void;
}

/** The owner's moderation, each with a pending flag and a toast saying what happened. */
export function useOwnerActions(code: string, { onChanged, onRoom }: OwnerActionsOptions): OwnerActions {
  const { isPending, track } = usePendingKeys();

  const run = useCallback(
    (key: string, action: () => Promise<unknown>, success: string, failureTitle: string): Promise<boolean> =>
      track(key, async () => {
        try {
          await action();
          toast.success(success);
          await onChanged();
          return true;
        } catch (error) {
          const apiError = error instanceof ApiError ? error : new ApiError(0, null, 'Something went wrong.');
          toast.error(failureTitle, roomErrorMessage(apiError));
          void onChanged();
          return false;
        }
      }),
    [track, onChanged],
  );

  return {
    isPending,
    kick: (member, reason) =>
      run(
        `kick:${member.id}`,
        () => kickMember(code, member.id, reason.trim()),
        `${memberName(member)} was removed from the room`,
        'Could not remove them',
      ),
    ban: (member, reason) =>
      run(
        `ban:${member.id}`,
        () => banMember(code, member.id, reason.trim()),
        `${memberName(member)} is banned from the room`,
        'Could not ban them',
      ),
    makeOwner: (member) =>
      run(
        `owner:${member.id}`,
        async () => onRoom((await transferOwnership(code, member.id)).room),
        `${memberName(member)} owns the room now`,
        'Could not hand over the room',
      ),
    setControl: (member, allowed) =>
      run(
        `control:${member.id}`,
        () => setControl(code, member.id, allowed),
        allowed ? `${memberName(member)} can control playback` : `${memberName(member)} can no longer control playback`,
        allowed ? 'Could not allow control' : 'Could not revoke control',
      ),
    setDelegate: (member) =>
      run(
        `delegate:${member?.id ?? 'none'}`,
        async () => onRoom((await updateRoom(code, { delegateId: member?.id ?? null })).room),
        member === null ? 'No handover delegate any more' : `${memberName(member)} takes over when you leave`,
        'Could not change the handover delegate',
      ),
  };
}
