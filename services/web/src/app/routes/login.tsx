import { Link } from 'react-router';

import { AuthCard } from '@/features/auth/components/auth-card';
import { GuestOnly } from '@/features/auth/components/guest-only';
import { LoginForm } from '@/features/auth/components/login-form';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function LoginRoute() {
  useDocumentTitle('Log in');
  return (
    <GuestOnly>
      <AuthCard
        title="Log in"
        subtitle="Welcome back. Log in to create rooms, chat and keep your friends list."
        footer={
          <>
            New to SyncWatch?{' '}
            <Link to="/register" className="font-semibold text-accent-text underline-offset-4 hover:underline">
              Create an account
            </Link>
          </>
        }
      >
        <LoginForm />
      </AuthCard>
    </GuestOnly>
  );
}
