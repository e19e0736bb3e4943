import { describe, expect, it } from 'vitest';

import { EnvError, parseEnv } from '@/lib/env';

describe('parseEnv', () => {
  it('uses one-origin defaults when nothing is set', () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: '/api', wsUrl: '/ws', publicOrigin: null, mode: 'production' });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ VITE_API_BASE_URL: ' ', VITE_PUBLIC_ORIGIN: '' }).apiBaseUrl).toBe('/api');
  });

  it('accepts absolute URLs and strips a trailing slash from the API base', () => {
    const env = parseEnv({
      VITE_API_BASE_URL: 'https://api.example.com/api/',
      VITE_WS_URL: 'wss://api.example.com/ws',
      VITE_PUBLIC_ORIGIN: 'https://watch.example.com',
      MODE: 'development',
    });
    expect(env).toEqual({
      apiBaseUrl: 'https://api.example.com/api',
      wsUrl: 'wss://api.example.com/ws',
      publicOrigin: 'https://watch.example.com',
      mode: 'development',
    });
  });

  it('lists every bad variable in one error', () => {
    let caught: unknown;
    try {
      parseEnv({ VITE_API_BASE_URL: 'api', VITE_WS_URL: 'http://x/ws', VITE_PUBLIC_ORIGIN: 'https://x.example/app' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const problems = (caught as EnvError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('VITE_API_BASE_URL');
    expect(problems[1]).toContain('VITE_WS_URL');
    expect(problems[2]).toContain('VITE_PUBLIC_ORIGIN');
    expect((caught as EnvError).message).toContain('Invalid SyncWatch web configuration');
  });

  it.each([['//evil.example/api'], ['ftp://x.example/api'], ['/api with space']])(
    'rejects API base %s',
    (value) => {
      expect(() => parseEnv({ VITE_API_BASE_URL: value })).toThrow(EnvError);
    },
  );
});
