import { create } from 'zustand';

export type ThemePreference = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

/** localStorage key; index.html reads the same key before first paint to avoid a flash. */
export const THEME_STORAGE_KEY = 'syncwatch.theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Browser chrome colour per theme, kept in step with `--sw-color-bg` in tokens.css. */
const THEME_COLORS: Record<ResolvedTheme, string> = { light: '#f3f4fb', dark: '#080914' };

function systemTheme(): ResolvedTheme {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'light';
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

function readStoredPreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    // Storage can be disabled (privacy modes, sandboxed iframes); fall back to the system theme.
    return 'system';
  }
}

function writeStoredPreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not persisting is acceptable: the choice still holds for this page load.
  }
}

function resolve(preference: ThemePreference): ResolvedTheme {
  return preference === 'system' ? systemTheme() : preference;
}

/** Puts the theme on <html>: the `dark` class for Tailwind and tokens, colour-scheme, theme-color. */
export function applyTheme(theme: ResolvedTheme): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  root.classList.toggle('dark', theme === 'dark');
  root.style.colorScheme = theme;
  document.querySelectorAll('meta[name="theme-color"]').forEach((meta) => {
    meta.setAttribute('content', THEME_COLORS[theme]);
  });
}

export interface ThemeState {
  /** What the person chose; `system` follows prefers-color-scheme. */
  preference: ThemePreference;
  /** The theme actually shown. */
  resolved: ResolvedTheme;
  setPreference: (preference: ThemePreference) => void;
  /** Switches to the opposite of what is shown and remembers it. */
  toggle: () => void;
  /** Re-reads prefers-color-scheme; only has an effect while the preference is `system`. */
  syncWithSystem: () => void;
}

function initialState(): Pick<ThemeState, 'preference' | 'resolved'> {
  const preference = readStoredPreference();
  return { preference, resolved: resolve(preference) };
}

export const useThemeStore = create<ThemeState>()((set, get) => ({
  ...initialState(),
  setPreference: (preference) => {
    const resolved = resolve(preference);
    writeStoredPreference(preference);
    applyTheme(resolved);
    set({ preference, resolved });
  },
  toggle: () => {
    get().setPreference(get().resolved === 'dark' ? 'light' : 'dark');
  },
  syncWithSystem: () => {
    if (get().preference !== 'system') return;
    const resolved = systemTheme();
    applyTheme(resolved);
    set({ resolved });
  },
}));

/** Re-reads storage and the system setting; used at startup and by tests. */
export function initThemeStore(): void {
  const state = initialState();
  applyTheme(state.resolved);
  useThemeStore.setState(state);
}

/** Follows OS theme changes while the preference is `system`. Returns the unsubscribe function. */
export function watchSystemTheme(): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  const onChange = (): void => {
    useThemeStore.getState().syncWithSystem();
  };
  query.addEventListener('change', onChange);
  return () => {
    query.removeEventListener('change', onChange);
  };
}
