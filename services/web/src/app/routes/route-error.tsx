import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { TriangleAlert } from 'lucide-react';

import { buttonStyles } from '@/components/ui/button-styles';
import { GlassCard } from '@/components/ui/glass-panel';
import { NotFoundRoute } from '@/app/routes/not-found';

/** Error element of the root route: a crash in a page shows this instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundRoute />;

  return (
    <div className="mx-auto w-full max-w-lg px-gutter py-16">
      <GlassCard as="section" aria-labelledby="route-error-title" intensity="strong" className="text-center">
        <TriangleAlert aria-hidden="true" className="mx-auto h-8 w-8 text-warning-text" />
        <h1 id="route-error-title" className="mt-4 text-2xl font-bold tracking-tight text-fg">
          Something went wrong
        </h1>
        <p className="mt-2 text-sm text-fg-muted">This page failed to show. Reloading usually helps.</p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <button
            type="button"
            className={buttonStyles()}
            onClick={() => {
              window.location.reload();
            }}
          >
            Reload
          </button>
          <Link to="/" className={buttonStyles({ variant: 'secondary' })}>
            Home
          </Link>
        </div>
      </GlassCard>
    </div>
  );
}
