import { Outlet, ScrollRestoration } from 'react-router';

import { AmbientBackground } from '@/components/layout/ambient-background';
import { AppFooter } from '@/components/layout/app-footer';
import { AppHeader } from '@/components/layout/app-header';
import { Toaster } from '@/components/ui/toast';

export function RootLayout() {
  return (
    <div className="relative flex min-h-dvh flex-col">
      <AmbientBackground />
      <a
        href="#main"
        className="sr-only rounded-full bg-accent px-4 py-2 font-semibold text-accent-fg focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50"
      >
        Skip to content
      </a>
      <AppHeader />
      <main id="main" tabIndex={-1} className="flex-1 px-gutter pb-8 pt-10 focus:outline-none sm:pt-14 lg:pt-20">
        <div className="mx-auto w-full max-w-6xl">
          <Outlet />
        </div>
      </main>
      <AppFooter />
      <Toaster />
      <ScrollRestoration />
    </div>
  );
}
