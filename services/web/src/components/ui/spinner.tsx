import { cn } from '@/lib/cn';

export type SpinnerSize = 'sm' | 'md' | 'lg';

const sizes: Record<SpinnerSize, string> = { sm: 'h-4 w-4', md: 'h-6 w-6', lg: 'h-10 w-10' };

export interface SpinnerProps {
  size?: SpinnerSize;
  /** Announced to screen readers; without it the spinner is decorative (e.g. inside a busy button). */
  label?: string;
  className?: string;
}

export function Spinner({ size = 'md', label, className }: SpinnerProps) {
  const svg = (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
      className={cn(
        'animate-spin motion-reduce:[animation-duration:1.6s]',
        sizes[size],
        label === undefined && className,
      )}
    >
      <circle cx="12" cy="12" r="9.5" stroke="currentColor" strokeOpacity="0.22" strokeWidth="3" />
      <path d="M21.5 12a9.5 9.5 0 0 0-9.5-9.5" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );

  if (label === undefined) return svg;
  return (
    <span role="status" className={cn('inline-flex items-center', className)}>
      {svg}
      <span className="sr-only">{label}</span>
    </span>
  );
}
