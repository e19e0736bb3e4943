/**
 * Timers the engine schedules with, injected so tests and the simulation run on virtual time.
 * Delays are in ms of the same local timebase as the {@link LocalClock} the engine gets.
 */
/** Whatever the host's `setTimeout` returns (a number in browsers, an object in Node). */
export type TimerHandle = object | number;

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The host's timers (`globalThis.setTimeout`), looked up when called, not at import. */
export function hostTimers(): Timers {
  return {
    setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, Math.max(0, delayMs)),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  };
}
