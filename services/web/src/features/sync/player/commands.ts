/**
 * Sending playback commands (docs/protocol.md, "Playback"). Every command carries the last sequence
 * this viewer saw (`expectedSequence`) and a fresh `idempotencyKey`. A `conflict` means the room moved
 * on in between and nothing changed; the person's intent still stands, so the command is sent once
 * more without `expectedSequence` (and with a new key: the first attempt was not applied).
 */
import { LiveError, type LiveRoom } from '@/features/sync/live/live-room';
import type { Ack, ClientFrames } from '@/lib/protocol/v1.gen';

export type PlaybackCommand = 'sync:play' | 'sync:pause' | 'sync:seek' | 'sync:rate' | 'sync:source';

type CommandData<K extends PlaybackCommand> = Omit<ClientFrames[K], 'expectedSequence' | 'idempotencyKey'>;

/** A random key (UUID v4 where available: `randomUUID` needs a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sendPlaybackCommand<K extends PlaybackCommand>(
  live: LiveRoom,
  type: K,
  data: CommandData<K>,
): Promise<Ack> {
  const expectedSequence = live.engine.getSnapshot().lastSequence;
  const frame = { ...data, expectedSequence, idempotencyKey: newIdempotencyKey() } as ClientFrames[K];
  try {
    return await live.request(type, frame);
  } catch (error) {
    if (!(error instanceof LiveError) || error.code !== 'conflict') throw error;
    const retry = { ...data, idempotencyKey: newIdempotencyKey() } as ClientFrames[K];
    return live.request(type, retry);
  }
}

/** What to tell the person when a command failed. */
export function commandErrorMessage(error: unknown): string {
  if (error instanceof LiveError) {
    switch (error.code) {
      case 'not_allowed':
      case 'forbidden':
        return 'You can’t control playback in this room right now.';
      case 'rate_limited':
        return 'Too many changes at once. Wait a moment and try again.';
      case 'conflict':
        return 'Someone else changed playback at the same moment. Try again.';
      case 'timeout':
        return 'The server did not answer. Check your connection and try again.';
      case 'not_in_room':
        return 'You are not connected to the room right now. Reconnecting…';
      case 'invalid_source':
        return error.message || 'This video can’t be played in a room.';
      default:
        return error.message || 'That did not work. Try again.';
    }
  }
  return 'That did not work. Try again.';
}
