import type { ReactNode } from 'react';

import { LogoMark } from '@/components/layout/logo';
import { GlassCard } from '@/components/ui/glass-panel';

export interface AuthCardProps {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}

/** The centred glass card both auth pages share. */
export function AuthCard({ title, subtitle, children, footer }: AuthCardProps) {
  return (
    <div className="mx-auto w-full max-w-md">
      <GlassCard as="section" aria-labelledby="auth-title" intensity="strong">
        <LogoMark className="h-10 w-10" />
        <h1 id="auth-title" className="mt-5 text-2xl font-bold tracking-tight text-fg sm:text-3xl">
          {title}
        </h1>
        <p className="mt-1.5 text-sm text-fg-muted">{subtitle}</p>
        <div className="mt-7">{children}</div>
      </GlassCard>
      <p className="mt-6 text-center text-sm text-fg-muted">{footer}</p>
    </div>
  );
}
