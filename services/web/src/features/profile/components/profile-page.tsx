import { KeyRound } from 'lucide-react';

import { GlassCard } from '@/components/ui/glass-panel';
import { ChangePasswordForm } from '@/features/profile/components/change-password-form';
import { ProfileOverview } from '@/features/profile/components/profile-overview';
import { useSessionStore } from '@/stores/session-store';

/** Your account: who you are and a password change. Rendered behind RequireAuth. */
export function ProfilePage() {
  const user = useSessionStore((state) => state.user);
  if (user === null) return null;
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6">
      <ProfileOverview user={user} />
      <GlassCard as="section" aria-labelledby="change-password-title">
        <div className="flex items-center gap-2.5">
          <KeyRound aria-hidden="true" className="h-5 w-5 text-accent-text" />
          <h2 id="change-password-title" className="text-lg font-semibold tracking-tight text-fg">
            Change password
          </h2>
        </div>
        <p className="mb-6 mt-1 text-sm text-fg-muted">
          Changing it signs you out on every other device; this one stays signed in.
        </p>
        <ChangePasswordForm username={user.username} />
      </GlassCard>
    </div>
  );
}
