import { cn } from '@/lib/cn';
import { initialsOf } from '@/lib/initials';

export type AvatarSize = 'sm' | 'md' | 'lg' | 'xl';

const sizes: Record<AvatarSize, string> = {
  sm: 'h-8 w-8 text-xs',
  md: 'h-10 w-10 text-sm',
  lg: 'h-14 w-14 text-lg',
  xl: 'h-20 w-20 text-2xl',
};

const dotSizes: Record<AvatarSize, string> = {
  sm: 'h-2.5 w-2.5',
  md: 'h-3 w-3',
  lg: 'h-3.5 w-3.5',
  xl: 'h-4 w-4',
};

/** Gradients from the brand tokens; a name always gets the same one. */
const tones = [
  'from-accent to-accent-3',
  'from-accent-2 to-accent',
  'from-accent-3 to-warning',
  'from-success to-accent-2',
  'from-accent to-accent-2',
  'from-warning to-accent-3',
] as const;

function toneOf(name: string): string {
  let hash = 0;
  for (const char of name.toLowerCase()) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return tones[hash % tones.length] ?? tones[0];
}

export interface AvatarProps {
  name: string;
  size?: AvatarSize;
  /** Shows a presence dot: green when true, grey when false; none when undefined. */
  online?: boolean;
  className?: string;
}

/**
 * Initials on a gradient disc. Decorative: the name is always written next to it, so the avatar
 * is hidden from screen readers (the presence dot's meaning is given in text by the caller).
 */
export function Avatar({ name, size = 'md', online, className }: AvatarProps) {
  return (
    <span aria-hidden="true" className={cn('relative inline-flex shrink-0', className)}>
      <span
        className={cn(
          'inline-flex items-center justify-center rounded-full bg-gradient-to-br font-semibold text-white shadow-sm ring-2 ring-white/60 dark:ring-white/10',
          sizes[size],
          toneOf(name),
        )}
      >
        {initialsOf(name)}
      </span>
      {online !== undefined && (
        <span
          data-online={online}
          className={cn(
            'absolute bottom-0 right-0 rounded-full ring-2 ring-bg',
            dotSizes[size],
            online ? 'bg-success' : 'bg-fg-subtle',
          )}
        />
      )}
    </span>
  );
}
