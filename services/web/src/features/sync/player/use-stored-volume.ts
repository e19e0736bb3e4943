import { useEffect, useState } from 'react';

const VOLUME_KEY = 'syncwatch.player.volume';
const MUTED_KEY = 'syncwatch.player.muted';

function readVolume(): number {
  try {
    const stored = window.localStorage.getItem(VOLUME_KEY);
    const value = stored === null ? Number.NaN : Number(stored);
    return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 1;
  } catch {
    return 1;
  }
}

function readMuted(): boolean {
  try {
    return window.localStorage.getItem(MUTED_KEY) === 'true';
  } catch {
    return false;
  }
}

/** This viewer's volume and mute, remembered in this browser (never sent to the room). */
export function useStoredVolume() {
  const [volume, setVolume] = useState(readVolume);
  const [muted, setMuted] = useState(readMuted);
  useEffect(() => {
    try {
      window.localStorage.setItem(VOLUME_KEY, String(volume));
      window.localStorage.setItem(MUTED_KEY, String(muted));
    } catch {
      // Storage full or disabled (private mode): the setting lasts for this page only.
    }
  }, [volume, muted]);
  return { volume, muted, setVolume, setMuted };
}
