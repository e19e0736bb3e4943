import { RequireAuth } from '@/features/auth/components/require-auth';
import { FriendsPage } from '@/features/friends/components/friends-page';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function FriendsRoute() {
  useDocumentTitle('Friends');
  return (
    <RequireAuth>
      <FriendsPage />
    </RequireAuth>
  );
}
