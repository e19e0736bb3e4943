// Validates the build-time configuration before anything renders (throws EnvError if bad).
import '@/lib/env';
import '@/index.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from '@/app';
import { startSession } from '@/lib/session';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element to render SyncWatch into.');

// Once per page load, outside React (StrictMode runs effects twice in development).
startSession();

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
