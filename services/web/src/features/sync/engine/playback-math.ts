/**
 * The anchor model of spec §4.2.2, exactly as the sync gateway computes it
 * (`services/sync-gateway/.../domain/playback.py: position_at`), plus the client's view of a room
 * whose next state may be scheduled for a moment that has not come yet.
 *
 * A room's playback is a {@link PlaybackState}: at `anchorServerTime` (ms, server clock) the media
 * was at `anchorMediaTime` (ms); while playing it advances `playbackRate` ms per ms. Every command
 * carries the whole state it leads to, anchored at its `atServerTime`, so a client that receives a
 * command late still computes the same position for the same server time: there is no "position
 * compensation" to do, only `positionAt(state, serverNow)`.
 */
import type { PlaybackState } from '@/lib/protocol/v1.gen';

/**
 * Media position (ms) at `serverTime` (ms, server clock); never negative. Identical to the server's
 * `position_at`: while paused the anchor position; while playing the anchor position plus the
 * elapsed server time times the rate (which extrapolates backwards for times before the anchor).
 */
export function positionAt(state: PlaybackState, serverTime: number): number {
  if (!state.isPlaying) return state.anchorMediaTime;
  return Math.max(0, state.anchorMediaTime + (serverTime - state.anchorServerTime) * state.playbackRate);
}

/** What the room wants from a player at one server time. */
export interface Target {
  /** The state in force (the last one whose effective time has come). */
  state: PlaybackState;
  /** Whether the media should be advancing now. */
  playing: boolean;
  /** The room's rate (what a perfectly synced player would run at). */
  rate: number;
  /** Where the media should be now (ms). */
  position: number;
}

/** `state`, not moving yet: at its anchor position until its anchor time. */
function hold(state: PlaybackState): Target {
  return { state, playing: false, rate: state.playbackRate, position: state.anchorMediaTime };
}

/** How long superseded states are kept for questions about the recent past (ms). */
const HISTORY_MS = 5000;

interface Entry {
  /** Server time from which `state` is in force (`-Infinity`: already when it arrived). */
  at: number;
  state: PlaybackState;
}

/**
 * The room's playback over server time, as far as this client knows it: the state in force now and
 * the states already announced for later (`atServerTime` in the future). Before a command's
 * `atServerTime` the previous state still holds; from it on, the command's state does.
 *
 * A snapshot has no "previous state" to hold: it is in force at once. If its anchor lies in the
 * future (the room scheduled a change the snapshot already contains), the media holds at the anchor
 * position until the anchor time instead of extrapolating backwards, which would show content the
 * room never played.
 */
export class PlaybackTimeline {
  private entries: Entry[] = [];

  /** No state known (before the first snapshot). */
  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** The newest state known (in force or scheduled), or null. */
  get latest(): PlaybackState | null {
    return this.entries.at(-1)?.state ?? null;
  }

  /** The sequence number of the newest state known, or null. */
  get latestSequence(): number | null {
    return this.latest?.sequenceNumber ?? null;
  }

  /** Forget everything (a new room or source). */
  clear(): void {
    this.entries = [];
  }

  /**
   * A command: its `state` is in force from `atServerTime`. States announced for that time or
   * later are dropped: the server derived this state from them, so it already contains their effect.
   */
  applyCommand(atServerTime: number, state: PlaybackState): void {
    this.entries = this.entries.filter((e) => e.at < atServerTime);
    this.entries.push({ at: atServerTime, state });
  }

  /**
   * A snapshot (`sync:state_snapshot`, or the final state of a `sync:catchup`): in force at once.
   * If the timeline already holds this very state (same sequence number, e.g. the catch-up's
   * commands ended with it), the entry keeps its scheduled time.
   */
  applySnapshot(state: PlaybackState): void {
    const seq = state.sequenceNumber;
    if (this.entries.some((e) => e.state.sequenceNumber === seq)) {
      this.entries = this.entries.filter((e) => e.state.sequenceNumber <= seq);
      return;
    }
    this.entries = [{ at: Number.NEGATIVE_INFINITY, state }];
  }

  /**
   * The server time of the next scheduled change after `serverTime`, or null. The engine sets a
   * timer for it so a PAUSE or PLAY happens on time rather than at the next tick.
   */
  nextChangeAfter(serverTime: number): number | null {
    for (const e of this.entries) if (e.at > serverTime) return e.at;
    const last = this.entries.at(-1);
    if (last && last.at <= serverTime && last.state.anchorServerTime > serverTime) return last.state.anchorServerTime;
    return null;
  }

  /** What the room wants at `serverTime`, or null before any state is known. */
  targetAt(serverTime: number): Target | null {
    let current: Entry | undefined;
    let idx = -1;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.at <= serverTime) {
        current = e;
        idx = i;
      } else break;
    }
    // Entries superseded long ago can go. A few seconds of history stay: a frame sample may ask
    // about a moment just before a change that a later tick already saw.
    let drop = 0;
    while (drop < idx && this.entries[drop + 1]!.at <= serverTime - HISTORY_MS) drop += 1;
    if (drop > 0) this.entries = this.entries.slice(drop);
    if (!current) {
      // Only future states are known (a command outran the snapshot): hold the first one's anchor.
      const first = this.entries[0];
      if (!first) return null;
      return hold(first.state);
    }
    const state = current.state;
    if (state.isPlaying && serverTime < state.anchorServerTime) return hold(state);
    return { state, playing: state.isPlaying, rate: state.playbackRate, position: positionAt(state, serverTime) };
  }
}
