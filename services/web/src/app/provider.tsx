import { useEffect, type ReactNode } from 'react';
import { MotionConfig } from 'framer-motion';

import { applyTheme, useThemeStore, watchSystemTheme } from '@/stores/theme-store';

/** App-wide context: motion settings and the theme following the OS while set to "system". */
export function AppProvider({ children }: { children: ReactNode }) {
  useEffect(() => {
    applyTheme(useThemeStore.getState().resolved);
    return watchSystemTheme();
  }, []);

  // "user": transforms are skipped for people who ask for reduced motion; fades remain.
  return <MotionConfig reducedMotion="user">{children}</MotionConfig>;
}
