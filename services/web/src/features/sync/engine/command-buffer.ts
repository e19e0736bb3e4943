/**
 * In-order application of `sync:command` frames (spec §4.2.5).
 *
 * Commands carry a room-wide, gap-free `sequenceNumber`. They are applied strictly in that order:
 * a duplicate (at or below the last applied number, or already waiting) is dropped; one that
 * arrives ahead of a missing predecessor waits in the buffer. A gap that is still open after
 * `gapTimeoutMs` (default 250 ms: long enough for a reordering to resolve itself, short against
 * the ≥ 120 ms the room schedules commands ahead) triggers `requestCatchup(lastApplied)`; while the
 * gap stays open the request is repeated with a doubling back-off (1 s, 2 s, … 8 s).
 *
 * A snapshot resets the expected sequence outright; a catch-up applies the commands it carries that
 * are still new and then moves the expected sequence to the state it ends at. Either way, waiting
 * commands that are now next are applied at once.
 *
 * Until the first snapshot (no baseline) commands wait; if none comes within the gap timeout, a
 * catch-up from just before the lowest waiting command is requested.
 */
import type { SyncCommand } from '@/lib/protocol/v1.gen';

import type { TimerHandle, Timers } from './timers';

export interface CommandBufferOptions {
  /** Called once per command, in sequence order. */
  apply: (command: SyncCommand) => void;
  /** Ask the server for the commands after `afterSequence` (`sync:catchup_request`). */
  requestCatchup: (afterSequence: number) => void;
  timers: Timers;
  /** How long a gap may stay open before a catch-up is requested (default 250 ms). */
  gapTimeoutMs?: number;
  /** First retry of an unanswered catch-up request (default 1000 ms), doubling up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Commands kept waiting at most; beyond, the buffer is dropped and a catch-up requested (default 256). */
  maxBuffered?: number;
}

export type ReceiveResult = 'applied' | 'buffered' | 'duplicate';

export class CommandBuffer {
  private buffer = new Map<number, SyncCommand>();
  private applied: number | null = null;
  private gapTimer: TimerHandle | null = null;
  private retryDelay: number;
  private readonly gapTimeoutMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly maxBuffered: number;

  constructor(private readonly options: CommandBufferOptions) {
    this.gapTimeoutMs = options.gapTimeoutMs ?? 250;
    this.retryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 8000;
    this.maxBuffered = options.maxBuffered ?? 256;
    this.retryDelay = this.retryMs;
  }

  /** The last applied sequence number, or null before any baseline. */
  get lastApplied(): number | null {
    return this.applied;
  }

  /** Commands waiting for a predecessor. */
  get pending(): number {
    return this.buffer.size;
  }

  /** Whether a gap is open (commands wait for a missing predecessor). */
  get hasGap(): boolean {
    return this.buffer.size > 0;
  }

  /** A `sync:command` arrived. */
  receive(command: SyncCommand): ReceiveResult {
    const seq = command.sequenceNumber;
    if ((this.applied !== null && seq <= this.applied) || this.buffer.has(seq)) return 'duplicate';
    if (this.applied !== null && seq === this.applied + 1) {
      this.applyOne(command);
      this.drain();
      this.checkGap();
      return 'applied';
    }
    this.buffer.set(seq, command);
    if (this.buffer.size > this.maxBuffered) {
      const after = this.applied ?? Math.min(...this.buffer.keys()) - 1;
      this.buffer.clear();
      this.clearGapTimer();
      this.options.requestCatchup(after);
      return 'buffered';
    }
    this.checkGap();
    return 'buffered';
  }

  /**
   * A snapshot at `sequence`: the next command expected is `sequence + 1`. `applyState` (the
   * snapshot itself) runs before waiting commands that are now next are applied.
   */
  reset(sequence: number, applyState?: () => void): void {
    this.applied = sequence;
    applyState?.();
    for (const seq of [...this.buffer.keys()]) if (seq <= sequence) this.buffer.delete(seq);
    this.retryDelay = this.retryMs;
    this.drain();
    this.checkGap();
  }

  /**
   * A catch-up: apply its commands that are still new, in order, then `applyState` (the state they
   * lead to), then expect `finalSequence + 1` (never moving backwards).
   */
  catchup(commands: readonly SyncCommand[], finalSequence: number, applyState?: () => void): void {
    const sorted = [...commands].sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    for (const command of sorted) {
      if (this.applied === null || command.sequenceNumber > this.applied) this.applyOne(command);
    }
    this.reset(Math.max(this.applied ?? finalSequence, finalSequence), applyState);
  }

  /** Forget everything (leaving the room); cancels timers. */
  clear(): void {
    this.buffer.clear();
    this.applied = null;
    this.clearGapTimer();
    this.retryDelay = this.retryMs;
  }

  private applyOne(command: SyncCommand): void {
    this.applied = command.sequenceNumber;
    this.buffer.delete(command.sequenceNumber);
    this.options.apply(command);
  }

  private drain(): void {
    if (this.applied === null) return;
    for (let next = this.buffer.get(this.applied + 1); next; next = this.buffer.get(this.applied + 1)) {
      this.applyOne(next);
    }
    for (const seq of [...this.buffer.keys()]) if (seq <= this.applied) this.buffer.delete(seq);
  }

  private checkGap(): void {
    if (this.buffer.size === 0) {
      this.clearGapTimer();
      this.retryDelay = this.retryMs;
      return;
    }
    if (this.gapTimer === null) this.armGapTimer(this.gapTimeoutMs);
  }

  private armGapTimer(delay: number): void {
    this.gapTimer = this.options.timers.setTimeout(() => {
      this.gapTimer = null;
      if (this.buffer.size === 0) return;
      const after = this.applied ?? Math.min(...this.buffer.keys()) - 1;
      this.options.requestCatchup(after);
      const wait = this.retryDelay;
      this.retryDelay = Math.min(this.maxRetryMs, this.retryDelay * 2);
      this.armGapTimer(wait);
    }, delay);
  }

  private clearGapTimer(): void {
    if (this.gapTimer !== null) {
      this.options.timers.clearTimeout(this.gapTimer);
      this.gapTimer = null;
    }
  }
}
