import { createElement, forwardRef, type HTMLAttributes } from 'react';

import { cn } from '@/lib/cn';

export type GlassIntensity = 'subtle' | 'regular' | 'strong';
type GlassElement = 'div' | 'section' | 'article' | 'aside' | 'header' | 'footer' | 'nav';

const intensities: Record<GlassIntensity, string> = {
  subtle: 'sw-glass-subtle',
  regular: '',
  strong: 'sw-glass-strong',
};

export interface GlassPanelProps extends HTMLAttributes<HTMLElement> {
  /** The element to render; pick the one that fits the content's meaning. */
  as?: GlassElement;
  /** How much of the background shows through: more blur and tint at `strong`. */
  intensity?: GlassIntensity;
}

/** A translucent "liquid glass" surface: blurred backdrop, light edge, top sheen, soft shadow. */
export const GlassPanel = forwardRef<HTMLElement, GlassPanelProps>(function GlassPanel(
  { as = 'div', intensity = 'regular', className, ...rest },
  ref,
) {
  return createElement(as, { ref, className: cn('sw-glass rounded-xl', intensities[intensity], className), ...rest });
});

export interface GlassCardProps extends GlassPanelProps {
  /** Lifts on hover, for cards that are links or buttons. */
  interactive?: boolean;
}

/** A padded glass panel for a self-contained block of content. */
export const GlassCard = forwardRef<HTMLElement, GlassCardProps>(function GlassCard(
  { interactive = false, className, ...rest },
  ref,
) {
  return (
    <GlassPanel
      ref={ref}
      className={cn(
        'rounded-2xl p-5 sm:p-7',
        interactive &&
          'transition-[transform,box-shadow] duration-base ease-emphasized hover:-translate-y-0.5 hover:shadow-lg motion-reduce:hover:translate-y-0',
        className,
      )}
      {...rest}
    />
  );
});
