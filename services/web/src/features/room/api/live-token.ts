import { renewGuestToken } from '@/features/room/api/rooms-api';
import { guestTokenNeedsRenewal, readGuestSession } from '@/features/room/lib/guest-session';
import { freshAccessToken, refreshSession } from '@/lib/session';
import { useSessionStore } from '@/stores/session-store';

/**
 * The token the room's live socket says `hello` with, the identity the REST calls in the room use
 * too: this tab's guest token for the room when the visitor is a guest here, else the signed-in
 * user's access token (refreshed first when it is about to expire). `refresh` (the server refused
 * the last one) renews the guest token, or refreshes the session. Null: nobody to be.
 */
export async function liveSocketToken(code: string, { refresh }: { refresh: boolean }): Promise<string | null> {
  const guest = readGuestSession(code);
  if (guest !== null) {
    if (refresh || guestTokenNeedsRenewal(guest)) {
      try {
        await renewGuestToken(code);
      } catch {
        // Refused: this guest is no more (a membership read says why). Only running out: still good.
        return refresh ? null : guest.token;
      }
    }
    return readGuestSession(code)?.token ?? null;
  }
  if (refresh) return (await refreshSession()) ? useSessionStore.getState().accessToken : null;
  return freshAccessToken();
}

/**
 * Whom {@link liveSocketToken} speaks for when it is a signed-in user: their id, or null when the
 * socket says `hello` as this tab's guest in the room (or nobody is signed in).
 */
export function liveSocketUserId(code: string, signedInUserId: string | null): string | null {
  return signedInUserId === null || readGuestSession(code) !== null ? null : signedInUserId;
}
