import type { RoomStateData } from '@/lib/protocol/v1.gen';

/** The speeds the player offers (all of them YouTube's steps too). */
export const PLAYBACK_RATES: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

/** Media time for people: `m:ss`, or `h:mm:ss` from an hour on. */
export function formatMediaTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** Media time spoken: "1 minute 5 seconds" (for `aria-valuetext` and announcements). */
export function spokenMediaTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (hours > 0) parts.push(unit(hours, 'hour'));
  if (minutes > 0) parts.push(unit(minutes, 'minute'));
  if (seconds > 0 || parts.length === 0) parts.push(unit(seconds, 'second'));
  return parts.join(' ');
}

/** A rate for people: `1×`, `1.25×`. */
export function formatRate(rate: number): string {
  return `${Number(rate.toFixed(2))}×`;
}

/** Why this viewer's playback controls are off, in the words of the room's control mode. */
export function controlHint(room: Pick<RoomStateData, 'playbackControl'> | null): string {
  switch (room?.playbackControl) {
    case 'selected':
      return 'Only the owner and the members they choose control playback';
    case 'all':
      return 'Playback controls return once you are reconnected';
    default:
      return 'Only the owner controls playback';
  }
}

/** "Alex is buffering…", "Alex and Sam are buffering…", "Alex, Sam and Kim are buffering…". */
export function bufferingSentence(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0] ?? ''} is buffering…`;
  const head = names.slice(0, -1).join(', ');
  return `${head} and ${names[names.length - 1] ?? ''} are buffering…`;
}
