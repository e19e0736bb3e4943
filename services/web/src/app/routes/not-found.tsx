import { Link } from 'react-router';
import { Compass } from 'lucide-react';

import { buttonStyles } from '@/components/ui/button-styles';
import { GlassCard } from '@/components/ui/glass-panel';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function NotFoundRoute() {
  useDocumentTitle('Page not found');
  return (
    <div className="mx-auto w-full max-w-lg">
      <GlassCard as="section" aria-labelledby="not-found-title" intensity="strong" className="text-center">
        <span className="mx-auto inline-flex h-12 w-12 items-center justify-center rounded-full bg-accent/10 text-accent-text ring-1 ring-inset ring-accent/20">
          <Compass aria-hidden="true" className="h-6 w-6" />
        </span>
        <p className="mt-4 font-mono text-sm font-semibold text-fg-subtle">404</p>
        <h1 id="not-found-title" className="mt-1 text-2xl font-bold tracking-tight text-fg">
          Page not found
        </h1>
        <p className="mt-2 text-sm text-fg-muted">
          There is nothing at this address. If someone sent you an invite, check that the link is complete.
        </p>
        <Link to="/" className={buttonStyles({ className: 'mt-6' })}>
          Go to the home page
        </Link>
      </GlassCard>
    </div>
  );
}
