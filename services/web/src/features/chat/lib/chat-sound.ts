/**
 * The chat's notification sound: a short, soft two-note chime made with Web Audio (no asset).
 * Browsers allow sound only after the person has interacted with the page; until then the chime
 * stays silent rather than being blocked (and warned about), so {@link watchForGesture} listens
 * for the first gesture.
 */
export const CHAT_MUTED_KEY = 'syncwatch.chat.muted';

export function readChatMuted(): boolean {
  try {
    return window.localStorage.getItem(CHAT_MUTED_KEY) === 'true';
  } catch {
    return false;
  }
}

export function writeChatMuted(muted: boolean): void {
  try {
    window.localStorage.setItem(CHAT_MUTED_KEY, String(muted));
  } catch {
    // Storage disabled: the switch lasts for this page only.
  }
}

const GESTURES = ['pointerdown', 'keydown', 'touchstart'] as const;

/**
 * Calls `onGesture` once, at the person's first pointer, key or touch on the page (at once when
 * the browser says there already was one). Returns a function that stops listening.
 */
export function watchForGesture(onGesture: () => void): () => void {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  if (activation?.hasBeenActive === true) {
    onGesture();
    return () => undefined;
  }
  const listener = (): void => {
    stop();
    onGesture();
  };
  const stop = (): void => {
    for (const type of GESTURES) window.removeEventListener(type, listener, true);
  };
  for (const type of GESTURES) window.addEventListener(type, listener, true);
  return stop;
}

type AudioContextConstructor = new () => AudioContext;

function audioContextClass(): AudioContextConstructor | null {
  const scope = window as Window & { AudioContext?: AudioContextConstructor; webkitAudioContext?: AudioContextConstructor };
  return scope.AudioContext ?? scope.webkitAudioContext ?? null;
}

export interface Chime {
  play(): void;
  dispose(): void;
}

/** A chime on one lazily made `AudioContext` (made at the first `play`, which follows a gesture). */
export function createChime(): Chime {
  let context: AudioContext | null = null;
  return {
    play() {
      const Ctor = audioContextClass();
      if (Ctor === null) return;
      try {
        context ??= new Ctor();
        if (context.state === 'suspended') void context.resume().catch(() => undefined);
        const start = context.currentTime + 0.01;
        const gain = context.createGain();
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.05, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.32);
        gain.connect(context.destination);
        const osc = context.createOscillator();
        osc.type = 'sine';
        osc.frequency.setValueAtTime(880, start);
        osc.frequency.setValueAtTime(1320, start + 0.09);
        osc.connect(gain);
        osc.start(start);
        osc.stop(start + 0.34);
      } catch {
        // No audio output (or a browser that refuses): the chat works without the sound.
      }
    },
    dispose() {
      void context?.close().catch(() => undefined);
      context = null;
    },
  };
}
