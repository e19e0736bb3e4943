import { useState } from 'react';
import { Link, NavLink } from 'react-router';
import { Menu } from 'lucide-react';

import { ThemeToggle } from '@/components/layout/theme-toggle';
import { Logo } from '@/components/layout/logo';
import { Button } from '@/components/ui/button';
import { buttonStyles } from '@/components/ui/button-styles';
import { Dialog } from '@/components/ui/dialog';
import { GlassPanel } from '@/components/ui/glass-panel';
import { cn } from '@/lib/cn';

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

export function AppHeader() {
  const [menuOpen, setMenuOpen] = useState(false);
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
            <NavLink to="/login" className={navLinkClass}>
              Log in
            </NavLink>
            <Link to="/register" className={buttonStyles({ size: 'sm', className: 'ml-1' })}>
              Sign up
            </Link>
          </nav>
          <span className="mx-1 hidden h-6 w-px bg-line md:block" aria-hidden="true" />
          <ThemeToggle />
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
        </div>
      </GlassPanel>

      <Dialog open={menuOpen} onClose={closeMenu} title="Menu">
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
