export type ClassValue = string | false | null | undefined;

/** Joins class names, skipping falsy entries: `cn('a', cond && 'b')`. */
export function cn(...classes: ClassValue[]): string {
  return classes.filter(Boolean).join(' ');
}
