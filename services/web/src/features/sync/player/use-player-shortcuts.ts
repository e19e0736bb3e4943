import { useEffect, useRef, type RefObject } from 'react';

export type ShortcutAction =
  | { kind: 'toggle-play' }
  | { kind: 'seek-by'; deltaMs: number }
  | { kind: 'fullscreen' }
  | { kind: 'mute' };

/**
 * The player's keys (those of the big video sites): space or k play/pause, ←/→ seek 5 s, j/l seek
 * 10 s, f fullscreen, m mute. Null for any other key, or one with Ctrl, Alt or Meta (the browser's).
 */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'repeat'>): ShortcutAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  switch (key) {
    case ' ':
    case 'k':
      return event.repeat ? null : { kind: 'toggle-play' };
    case 'ArrowLeft':
      return { kind: 'seek-by', deltaMs: -5000 };
    case 'ArrowRight':
      return { kind: 'seek-by', deltaMs: 5000 };
    case 'j':
      return { kind: 'seek-by', deltaMs: -10_000 };
    case 'l':
      return { kind: 'seek-by', deltaMs: 10_000 };
    case 'f':
      return event.repeat ? null : { kind: 'fullscreen' };
    case 'm':
      return event.repeat ? null : { kind: 'mute' };
    default:
      return null;
  }
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'url', 'email', 'password', 'number', 'tel', 'date', 'time']);

/** Whether the element takes typing (or arrow keys) of its own. */
function isEditable(element: Element): boolean {
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(element.type) || element.type === 'range';
  return element instanceof HTMLElement && element.isContentEditable;
}

/**
 * Whether a key pressed with focus on `target` is the player's: focus is in the stage (but not on
 * a field, nor Space/Enter on a button, which press it), or on nothing at all.
 */
export function isPlayerKeyTarget(stage: HTMLElement | null, target: EventTarget | null, key: string): boolean {
  const element = target instanceof Element ? target : null;
  if (element === null || element === document.body || element === document.documentElement) return true;
  if (stage === null || !stage.contains(element)) return false;
  if (isEditable(element)) {
    // A range takes the arrows; the letters and space are still the player's.
    return element instanceof HTMLInputElement && element.type === 'range' && !key.startsWith('Arrow');
  }
  if ((key === ' ' || key === 'Enter') && element.closest('button, a[href], [role="button"], summary') !== null) return false;
  return true;
}

/** Listens on the document for the player's keys while `enabled`; `onAction` runs for each. */
export function usePlayerShortcuts(
  stageRef: RefObject<HTMLElement | null>,
  onAction: (action: ShortcutAction) => void,
  enabled = true,
): void {
  const handler = useRef(onAction);
  useEffect(() => {
    handler.current = onAction;
  }, [onAction]);

  useEffect(() => {
    if (!enabled) return undefined;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented) return;
      const action = shortcutFor(event);
      if (action === null || !isPlayerKeyTarget(stageRef.current, event.target, event.key)) return;
      event.preventDefault();
      handler.current(action);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [stageRef, enabled]);
}
