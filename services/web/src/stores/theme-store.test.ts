import { describe, expect, it, vi } from 'vitest';

import { initThemeStore, THEME_STORAGE_KEY, useThemeStore } from '@/stores/theme-store';
import { stubMatchMedia } from '@/testing/match-media';

const isDark = (): boolean => document.documentElement.classList.contains('dark');

describe('theme store', () => {
  it('follows the system light theme by default', () => {
    stubMatchMedia(() => false);
    initThemeStore();
    expect(useThemeStore.getState()).toMatchObject({ preference: 'system', resolved: 'light' });
    expect(isDark()).toBe(false);
  });

  it('follows the system dark theme by default', () => {
    stubMatchMedia((query) => query === '(prefers-color-scheme: dark)');
    initThemeStore();
    expect(useThemeStore.getState()).toMatchObject({ preference: 'system', resolved: 'dark' });
    expect(isDark()).toBe(true);
  });

  it('applies and persists an explicit choice', () => {
    initThemeStore();
    useThemeStore.getState().setPreference('dark');
    expect(useThemeStore.getState()).toMatchObject({ preference: 'dark', resolved: 'dark' });
    expect(isDark()).toBe(true);
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
  });

  it('toggles to the opposite of what is shown and remembers it', () => {
    stubMatchMedia((query) => query === '(prefers-color-scheme: dark)');
    initThemeStore();
    useThemeStore.getState().toggle();
    expect(useThemeStore.getState().resolved).toBe('light');
    expect(isDark()).toBe(false);
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    useThemeStore.getState().toggle();
    expect(useThemeStore.getState().resolved).toBe('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
  });

  it('restores the saved choice over the system setting', () => {
    window.localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    stubMatchMedia(() => false);
    initThemeStore();
    expect(useThemeStore.getState()).toMatchObject({ preference: 'dark', resolved: 'dark' });
    expect(isDark()).toBe(true);
  });

  it('ignores a corrupt saved value', () => {
    window.localStorage.setItem(THEME_STORAGE_KEY, 'purple');
    initThemeStore();
    expect(useThemeStore.getState().preference).toBe('system');
  });

  it('forgets the choice when set back to system', () => {
    initThemeStore();
    useThemeStore.getState().setPreference('dark');
    useThemeStore.getState().setPreference('system');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(useThemeStore.getState().resolved).toBe('light');
  });

  it('tracks OS changes only while following the system', () => {
    initThemeStore();
    stubMatchMedia((query) => query === '(prefers-color-scheme: dark)');
    useThemeStore.getState().syncWithSystem();
    expect(useThemeStore.getState().resolved).toBe('dark');

    useThemeStore.getState().setPreference('light');
    useThemeStore.getState().syncWithSystem();
    expect(useThemeStore.getState().resolved).toBe('light');
  });

  it('still works when storage is unavailable', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    initThemeStore();
    expect(useThemeStore.getState().preference).toBe('system');
    useThemeStore.getState().setPreference('dark');
    expect(useThemeStore.getState().resolved).toBe('dark');
  });

  it('sets the browser theme colour', () => {
    const meta = document.createElement('meta');
    meta.name = 'theme-color';
    document.head.appendChild(meta);
    initThemeStore();
    useThemeStore.getState().setPreference('dark');
    expect(meta.content).toBe('#080914');
    useThemeStore.getState().setPreference('light');
    expect(meta.content).toBe('#f3f4fb');
    meta.remove();
  });
});
