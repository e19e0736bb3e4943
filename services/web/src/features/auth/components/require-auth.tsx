import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { Spinner } from '@/components/ui/spinner';
import { loginPathFor } from '@/features/auth/lib/next-path';
import { useSessionStore } from '@/stores/session-store';

/**
 * Shows `children` to signed-in people only. Signed out: off to `/login?next=<this page>`.
 * While the silent sign-in of a page load is still running: a spinner, not a redirect.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const status = useSessionStore((state) => state.status);
  const location = useLocation();

  if (status === 'signed-out') {
    return <Navigate to={loginPathFor(`${location.pathname}${location.search}`)} replace />;
  }
  if (status === 'unknown') {
    return (
      <div className="flex justify-center py-24">
        <Spinner size="lg" label="Checking your session…" className="text-accent-text" />
      </div>
    );
  }
  return children;
}
