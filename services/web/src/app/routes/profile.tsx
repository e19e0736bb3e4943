import { RequireAuth } from '@/features/auth/components/require-auth';
import { ProfilePage } from '@/features/profile/components/profile-page';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function ProfileRoute() {
  useDocumentTitle('Profile');
  return (
    <RequireAuth>
      <ProfilePage />
    </RequireAuth>
  );
}
