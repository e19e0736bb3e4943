import { Clapperboard, MessageCircle, Timer, Users, type LucideIcon } from 'lucide-react';

import { GlassCard } from '@/components/ui/glass-panel';

interface Highlight {
  icon: LucideIcon;
  title: string;
  text: string;
}

const highlights: Highlight[] = [
  {
    icon: Timer,
    title: 'Everyone at the same moment',
    text: 'Play, pause and seek reach every screen together, and small drifts are corrected as you watch.',
  },
  {
    icon: Users,
    title: 'Up to five people',
    text: 'Rooms are made for a few friends. Share one link; guests join with just a name.',
  },
  {
    icon: MessageCircle,
    title: 'Voice and chat',
    text: 'Talk with push-to-talk or voice activation, and keep a chat running beside the video.',
  },
  {
    icon: Clapperboard,
    title: 'YouTube or your own file',
    text: 'Watch a YouTube video together, or upload a file and it is streamed to everyone in the room.',
  },
];

export function FeatureHighlights() {
  return (
    <section aria-labelledby="highlights-title" className="mt-16 sm:mt-24">
      <h2 id="highlights-title" className="text-center text-2xl font-semibold tracking-tight text-fg sm:text-3xl">
        Everything a watch party needs
      </h2>
      <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {highlights.map(({ icon: Icon, title, text }) => (
          <li key={title} className="min-w-0">
            <GlassCard intensity="subtle" className="h-full">
              <span className="inline-flex h-11 w-11 items-center justify-center rounded-md bg-accent/10 text-accent-text ring-1 ring-inset ring-accent/20">
                <Icon aria-hidden="true" className="h-5 w-5" />
              </span>
              <h3 className="mt-4 font-semibold text-fg">{title}</h3>
              <p className="mt-1.5 text-sm leading-relaxed text-fg-muted">{text}</p>
            </GlassCard>
          </li>
        ))}
      </ul>
    </section>
  );
}
