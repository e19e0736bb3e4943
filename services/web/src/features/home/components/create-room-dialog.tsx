import { useRef } from 'react';
import { useNavigate } from 'react-router';

import { Dialog } from '@/components/ui/dialog';
import type { HomeRoomsApi } from '@/features/home/api/home-rooms';
import { CreateRoomForm } from '@/features/home/components/create-room-form';
import { toast } from '@/stores/toast-store';

export interface CreateRoomDialogProps {
  open: boolean;
  onClose: () => void;
  username: string;
  createRoom: HomeRoomsApi['createRoom'];
}

/** "Create a room" in a dialog; a new room opens its page (`/r/<code>`). */
export function CreateRoomDialog({ open, onClose, username, createRoom }: CreateRoomDialogProps) {
  const navigate = useNavigate();
  const nameRef = useRef<HTMLInputElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a room"
      description="Everything here can be changed later from the room’s settings."
      initialFocusRef={nameRef}
      // sm: so it wins over the panel's own max-w-md (plain max-w-* come out in no useful order).
      className="sm:max-w-lg"
    >
      <CreateRoomForm
        username={username}
        createRoom={createRoom}
        nameRef={nameRef}
        onCancel={onClose}
        onCreated={(code) => {
          toast.success('Room created', 'Share its link so friends can join.');
          onClose();
          void navigate(`/r/${encodeURIComponent(code)}`);
        }}
      />
    </Dialog>
  );
}
