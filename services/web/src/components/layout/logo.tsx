import { cn } from '@/lib/cn';

/** The SyncWatch mark: two overlapping play shapes, one per viewer, in step. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={cn('h-8 w-8', className)}>
      <defs>
        <linearGradient id="sw-logo-gradient" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="rgb(var(--sw-color-accent))" />
          <stop offset="1" stopColor="rgb(var(--sw-color-accent-3))" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="9" fill="url(#sw-logo-gradient)" />
      <path d="M10 9.5v13l9.5-6.5z" fill="white" fillOpacity="0.55" />
      <path d="M14 9.5v13l9.5-6.5z" fill="white" />
    </svg>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn('inline-flex items-center gap-2.5', className)}>
      <LogoMark />
      <span className="text-lg font-bold tracking-tight text-fg">SyncWatch</span>
    </span>
  );
}
