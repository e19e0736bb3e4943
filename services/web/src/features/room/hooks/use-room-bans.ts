import { useCallback, useEffect, useState } from 'react';

import { listBans, unban as unbanRequest, type Ban } from '@/features/room/api/rooms-api';
import { usePendingKeys } from '@/features/room/hooks/use-pending-keys';
import { roomErrorMessage } from '@/features/room/lib/messages';
import { ApiError } from '@/lib/http';
import { toast } from '@/stores/toast-store';

/** The display name of a ban's person. */
export function bannedName(ban: Ban): string {
  return ban.user?.username ?? ban.guestName ?? 'Someone';
}

/** The room's bans (owner only), loaded while `active`, with unban. */
export function useRoomBans(code: string, active: boolean) {
  const [bans, setBans] = useState<Ban[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { isPending, track } = usePendingKeys();

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const next = await listBans(code, signal);
        if (signal?.aborted) return;
        setBans(next);
        setError(null);
      } catch (caught) {
        if (signal?.aborted) return;
        setError(caught instanceof ApiError ? roomErrorMessage(caught) : 'Something went wrong.');
      }
    },
    [code],
  );

  useEffect(() => {
    if (!active) return undefined;
    const controller = new AbortController();
    void load(controller.signal);
    return () => {
      controller.abort();
    };
  }, [active, load]);

  const unban = (ban: Ban): Promise<void> =>
    track(`unban:${ban.id}`, async () => {
      try {
        await unbanRequest(code, ban.id);
        toast.success(`${bannedName(ban)} may join again`);
        setBans((current) => current?.filter((entry) => entry.id !== ban.id) ?? null);
      } catch (caught) {
        const apiError = caught instanceof ApiError ? caught : new ApiError(0, null, 'Something went wrong.');
        toast.error('Could not lift the ban', roomErrorMessage(apiError));
        if (apiError.code === 'ban_not_found') void load();
      }
    });

  return { bans, error, reload: load, unban, isPending };
}
