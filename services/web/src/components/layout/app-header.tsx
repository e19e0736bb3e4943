import { useState } from 'react';
import { Link, NavLink } from 'react-router';
import { Menu } from 'lucide-react';

import { ThemeToggle } from '@/components/layout/theme-toggle';
import { Logo } from '@/components/layout/logo';
import { UserMenu } from '@/components/layout/user-menu';
import { Button } from '@/components/ui/button';
import { buttonStyles } from '@/components/ui/button-styles';
import { Dialog } from '@/components/ui/dialog';
import { GlassPanel } from '@/components/ui/glass-panel';
import { cn } from '@/lib/cn';
import { useSessionStore } from '@/stores/session-store';

const navLinkClass = ({ isActive }: { isActive: boolean }): string =>
  cn(
    'rounded-full px-3.5 py-2 text-sm font-medium transition-colors duration-fast',
    'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
    isActive ? 'bg-fg/[0.07] text-fg' : 'text-fg-muted hover:bg-fg/[0.05] hover:text-fg',
  );

const mobileLinkClass = ({ isActive }: { isActive: boolean }): string =>
  cn(
    'flex h-12 items-center rounded-md px-4 text-base font-medium transition-colors duration-fast',
    'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
    isActive ? 'bg-accent/10 text-accent-text' : 'text-fg hover:bg-fg/[0.05]',
  );

/**
 * Signed out: Home, Log in, Sign up (in the menu dialog on phones). Signed in: Home and the
 * account menu (avatar, name; Profile, Friends, Sign out), on phones too. While the silent
 * sign-in of a page load runs, a placeholder holds the account menu's place.
 */
export function AppHeader() {
  const [menuOpen, setMenuOpen] = useState(false);
  const status = useSessionStore((state) => state.status);
  const user = useSessionStore((state) => state.user);
  const signedIn = status === 'signed-in' && user !== null;
  const closeMenu = (): void => {
    setMenuOpen(false);
  };

  return (
    <header className="sticky top-0 z-40 px-gutter pt-3">
      <GlassPanel
        intensity="strong"
        className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-2 rounded-full pl-4 pr-2 sm:pl-5"
      >
        <Link
          to="/"
          className="flex items-center rounded-full focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          aria-label="SyncWatch home"
        >
          <Logo />
        </Link>

        <div className="flex items-center gap-1">
          <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
            <NavLink to="/" end className={navLinkClass}>
              Home
            </NavLink>
            {signedIn && (
              <NavLink to="/friends" className={navLinkClass}>
                Friends
              </NavLink>
            )}
            {status === 'signed-out' && (
              <>
                <NavLink to="/login" className={navLinkClass}>
                  Log in
                </NavLink>
                <Link to="/register" className={buttonStyles({ size: 'sm', className: 'ml-1' })}>
                  Sign up
                </Link>
              </>
            )}
          </nav>
          <span className="mx-1 hidden h-6 w-px bg-line md:block" aria-hidden="true" />
          <ThemeToggle />
          {signedIn && <UserMenu user={user} />}
          {status === 'unknown' && (
            <span aria-hidden="true" className="mx-1 h-8 w-8 animate-pulse rounded-full bg-fg/[0.08]" />
          )}
          {status === 'signed-out' && (
            <Button
              variant="ghost"
              size="icon"
              className="md:hidden"
              aria-label="Open menu"
              aria-haspopup="dialog"
              aria-expanded={menuOpen}
              onClick={() => {
                setMenuOpen(true);
              }}
            >
              <Menu aria-hidden="true" className="h-5 w-5" />
            </Button>
          )}
        </div>
      </GlassPanel>

      <Dialog open={menuOpen && status === 'signed-out'} onClose={closeMenu} title="Menu">
        <nav aria-label="Main" className="flex flex-col gap-1">
          <NavLink to="/" end className={mobileLinkClass} onClick={closeMenu}>
            Home
          </NavLink>
          <NavLink to="/login" className={mobileLinkClass} onClick={closeMenu}>
            Log in
          </NavLink>
          <NavLink to="/register" className={mobileLinkClass} onClick={closeMenu}>
            Sign up
          </NavLink>
        </nav>
      </Dialog>
    </header>
  );
}
