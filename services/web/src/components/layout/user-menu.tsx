import { useNavigate } from 'react-router';
import { ChevronDown, LogOut, UserRound, Users } from 'lucide-react';

import { Avatar } from '@/components/ui/avatar';
import { Menu } from '@/components/ui/menu';
import type { User } from '@/lib/auth-types';
import { signOut } from '@/lib/session';
import { toast } from '@/stores/toast-store';

/** The signed-in person's menu in the header: avatar, name, and Profile / Friends / Sign out. */
export function UserMenu({ user }: { user: User }) {
  const navigate = useNavigate();
  return (
    <Menu
      label="Account"
      triggerLabel={`Account menu for ${user.username}`}
      triggerTestId="user-menu"
      triggerClassName="h-10 gap-2 pl-1 pr-1 hover:bg-fg/[0.06] sm:pr-2.5"
      trigger={
        <>
          <Avatar name={user.username} size="sm" />
          <span className="hidden max-w-[10rem] truncate text-sm font-semibold text-fg sm:inline">{user.username}</span>
          <ChevronDown aria-hidden="true" className="hidden h-4 w-4 text-fg-subtle sm:inline" />
        </>
      }
      header={
        <>
          <p className="text-xs text-fg-subtle">Signed in as</p>
          <p className="truncate text-sm font-semibold text-fg">{user.username}</p>
        </>
      }
      items={[
        {
          label: 'Profile',
          icon: UserRound,
          testId: 'menu-profile',
          onSelect: () => void navigate('/profile'),
        },
        {
          label: 'Friends',
          icon: Users,
          testId: 'menu-friends',
          onSelect: () => void navigate('/friends'),
        },
        {
          label: 'Sign out',
          icon: LogOut,
          tone: 'danger',
          testId: 'sign-out',
          onSelect: () => {
            void signOut().then(() => {
              toast.success('Signed out', 'See you next time.');
              void navigate('/');
            });
          },
        },
      ]}
    />
  );
}
