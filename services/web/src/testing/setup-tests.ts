import '@testing-library/jest-dom/vitest';

import { cleanup } from '@testing-library/react';
import { MotionGlobalConfig } from 'framer-motion';
import { afterEach, vi } from 'vitest';

import { stopSession } from '@/lib/session';
import { initialSessionState, useSessionStore } from '@/stores/session-store';
import { stubMatchMedia } from '@/testing/match-media';

// Animations finish at once so exits and presence changes settle immediately in tests.
MotionGlobalConfig.skipAnimations = true;

// jsdom does not implement scrolling; React Router's <ScrollRestoration> calls it on navigation.
window.scrollTo = () => undefined;

stubMatchMedia();

afterEach(() => {
  cleanup();
  stopSession();
  window.localStorage.clear();
  useSessionStore.setState(initialSessionState());
  document.documentElement.className = '';
  vi.unstubAllGlobals();
  stubMatchMedia();
});
