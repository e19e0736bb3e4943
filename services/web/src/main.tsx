// Validates the build-time configuration before anything renders (throws EnvError if bad).
import '@/lib/env';
import '@/index.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from '@/app';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element to render SyncWatch into.');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
