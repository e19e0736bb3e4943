import type { ReactNode } from 'react';
import { Navigate, useSearchParams } from 'react-router';

import { safeNextPath } from '@/features/auth/lib/next-path';
import { useSessionStore } from '@/stores/session-store';

/** Log in and sign up are for signed-out people: someone signed in goes on to `next` (or home). */
export function GuestOnly({ children }: { children: ReactNode }) {
  const status = useSessionStore((state) => state.status);
  const [searchParams] = useSearchParams();
  if (status === 'signed-in') return <Navigate to={safeNextPath(searchParams.get('next'))} replace />;
  return children;
}
