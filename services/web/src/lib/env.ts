/**
 * Build-time settings from Vite's `import.meta.env`, validated once at startup.
 * A bad value stops the app with an error naming the variable, instead of failing later
 * somewhere far from the cause. Every setting has a default that suits the one-origin
 * deployment of DESIGN.md §2 (REST under /api, WebSocket at /ws on the page's origin).
 */

export interface AppEnv {
  /** Base of the REST API: a path on this origin (`/api`) or an absolute http(s) URL. No trailing slash. */
  apiBaseUrl: string;
  /** WebSocket endpoint: a path on this origin (`/ws`) or an absolute ws(s) URL. */
  wsUrl: string;
  /** Origin put in invite links (`https://watch.example.com`); null means the page's own origin. */
  publicOrigin: string | null;
  /** `development`, `production` or `test`: Vite's mode. */
  mode: string;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid SyncWatch web configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

type RawEnv = Record<string, unknown>;

function readString(raw: RawEnv, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  // Vite only injects strings for VITE_* keys; anything else is reported as the bad value it is.
  if (typeof value !== 'string') return JSON.stringify(value);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function isAbsoluteUrl(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A same-origin path: starts with one slash (not `//host`, which would be protocol-relative). */
function isRootPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !/\s/.test(value);
}

function stripTrailingSlash(value: string): string {
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

/** Validates raw Vite env values; throws {@link EnvError} listing every bad variable. */
export function parseEnv(raw: RawEnv): AppEnv {
  const problems: string[] = [];

  const apiBaseUrl = readString(raw, 'VITE_API_BASE_URL') ?? '/api';
  if (!isRootPath(apiBaseUrl) && !isAbsoluteUrl(apiBaseUrl, ['http:', 'https:'])) {
    problems.push(
      `VITE_API_BASE_URL must be a path starting with "/" or an http(s) URL, got ${JSON.stringify(apiBaseUrl)}`,
    );
  }

  const wsUrl = readString(raw, 'VITE_WS_URL') ?? '/ws';
  if (!isRootPath(wsUrl) && !isAbsoluteUrl(wsUrl, ['ws:', 'wss:'])) {
    problems.push(`VITE_WS_URL must be a path starting with "/" or a ws(s) URL, got ${JSON.stringify(wsUrl)}`);
  }

  const publicOriginRaw = readString(raw, 'VITE_PUBLIC_ORIGIN');
  let publicOrigin: string | null = null;
  if (publicOriginRaw !== undefined) {
    if (isAbsoluteUrl(publicOriginRaw, ['http:', 'https:'])) {
      const url = new URL(publicOriginRaw);
      if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
        problems.push(
          `VITE_PUBLIC_ORIGIN must be an origin without a path (https://watch.example.com), got ${JSON.stringify(publicOriginRaw)}`,
        );
      } else {
        publicOrigin = url.origin;
      }
    } else {
      problems.push(`VITE_PUBLIC_ORIGIN must be an http(s) origin, got ${JSON.stringify(publicOriginRaw)}`);
    }
  }

  if (problems.length > 0) throw new EnvError(problems);

  return {
    apiBaseUrl: stripTrailingSlash(apiBaseUrl),
    wsUrl,
    publicOrigin,
    mode: readString(raw, 'MODE') ?? 'production',
  };
}

export const env: AppEnv = parseEnv(import.meta.env);
