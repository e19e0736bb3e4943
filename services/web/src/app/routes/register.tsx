import { Link } from 'react-router';

import { AuthCard } from '@/features/auth/components/auth-card';
import { GuestOnly } from '@/features/auth/components/guest-only';
import { RegisterForm } from '@/features/auth/components/register-form';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function RegisterRoute() {
  useDocumentTitle('Create account');
  return (
    <GuestOnly>
      <AuthCard
        title="Create your account"
        subtitle="Free, and all you need to host rooms of up to five people."
        footer={
          <>
            Already have an account?{' '}
            <Link to="/login" className="font-semibold text-accent-text underline-offset-4 hover:underline">
              Log in
            </Link>
          </>
        }
      >
        <RegisterForm />
      </AuthCard>
    </GuestOnly>
  );
}
