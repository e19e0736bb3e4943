import { fileURLToPath, URL } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Where `npm run dev` / `npm run preview` forward the backend paths. The embedded stack
 * (DESIGN.md §7) answers everything on one port, so one target serves all four prefixes.
 */
const backend = process.env.WEB_DEV_PROXY_TARGET ?? 'http://127.0.0.1:8080';

const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/ws': { target: backend, ws: true, changeOrigin: false },
  '/media': { target: backend, changeOrigin: false },
  '/health': { target: backend, changeOrigin: false },
};

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    sourcemap: true,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    css: false,
  },
});
