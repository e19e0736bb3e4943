const LETTER = /^\p{L}/u;

/**
 * Up to two letters: the first letter of each of the first two parts (split at spaces, dots,
 * dashes and underscores) that start with a letter: `ann_lee` → AL, `ann_54764b41` → A, `bob` → B.
 * A name with no such part gets its first character (`42` → 4).
 */
export function initialsOf(name: string): string {
  const parts = name
    .trim()
    .split(/[\s._-]+/)
    .filter((part) => part !== '');
  const worded = parts.filter((part) => LETTER.test(part));
  const letters = worded.slice(0, 2).map((part) => Array.from(part)[0] ?? '');
  const initials = letters.length > 0 ? letters.join('') : (Array.from(parts[0] ?? '')[0] ?? '?');
  return initials.toLocaleUpperCase();
}
