import { useEffect, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Input } from '@/components/ui/input';
import { memberName, type Member } from '@/features/room/api/rooms-api';

export type ConfirmedAction = 'kick' | 'ban' | 'make-owner';

export interface MemberConfirmation {
  action: ConfirmedAction;
  member: Member;
  /** Kept after closing so the exit animation still shows the right name. */
  open: boolean;
}

export interface MemberConfirmDialogProps {
  confirmation: MemberConfirmation | null;
  pending: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
  fallbackFocus: () => HTMLElement | null;
}

function texts(action: ConfirmedAction, name: string) {
  switch (action) {
    case 'kick':
      return {
        title: `Remove ${name} from the room?`,
        description: 'They leave the room now, and may join again with the invite link.',
        confirmLabel: 'Kick',
      };
    case 'ban':
      return {
        title: `Ban ${name}?`,
        description: 'They leave the room now and cannot join it again. You can lift the ban in the room settings.',
        confirmLabel: 'Ban',
      };
    case 'make-owner':
      return {
        title: `Make ${name} the owner?`,
        description: 'They get the settings and moderation of this room. You stay in the room as a member.',
        confirmLabel: 'Make owner',
      };
  }
}

/** "Are you sure?" for the owner's weighty actions on a member; kick and ban take a reason. */
export function MemberConfirmDialog({ confirmation, pending, onConfirm, onCancel, fallbackFocus }: MemberConfirmDialogProps) {
  const [reason, setReason] = useState('');
  const action = confirmation?.action ?? 'kick';
  const name = confirmation === null ? '' : memberName(confirmation.member);
  const { title, description, confirmLabel } = texts(action, name);
  const askReason = action === 'kick' || action === 'ban';

  // A fresh reason for every new confirmation.
  const key = confirmation === null ? '' : `${confirmation.action}:${confirmation.member.id}`;
  useEffect(() => {
    setReason('');
  }, [key]);

  return (
    <ConfirmDialog
      open={confirmation?.open === true}
      title={title}
      description={description}
      confirmLabel={confirmLabel}
      tone={action === 'make-owner' ? 'default' : 'danger'}
      pending={pending}
      fallbackFocus={fallbackFocus}
      onConfirm={() => {
        onConfirm(askReason ? reason : '');
      }}
      onCancel={onCancel}
    >
      {askReason ? (
        <Input
          label="Reason (optional)"
          hint={`${name} sees it.`}
          value={reason}
          data-testid="moderation-reason"
          autoComplete="off"
          onChange={(event) => {
            setReason(event.target.value);
          }}
        />
      ) : undefined}
    </ConfirmDialog>
  );
}
