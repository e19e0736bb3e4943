import type { SyncEngineSnapshot } from '@/features/sync/engine/engine';

/** One frame at 60 fps: the promise (within about a frame). */
const FRAME_MS = 17;
/** Beyond this it shows: the same bands as the participant list's health (a few frames). */
const FAIR_MS = 50;

export type SyncTone = 'good' | 'fair' | 'poor' | 'idle';

export interface SyncHealth {
  tone: SyncTone;
  label: string;
  detail: string | null;
}

/** What the chip says about this viewer's sync, from the engine's snapshot. */
export function describeSyncHealth(s: Pick<SyncEngineSnapshot, 'connected' | 'upgradeRequired' | 'clockReady' | 'driftMs' | 'rttMs' | 'state' | 'buffering'>): SyncHealth {
  const rtt = s.rttMs === null ? null : `RTT ${Math.round(s.rttMs)} ms`;
  if (s.upgradeRequired) return { tone: 'poor', label: 'Update needed', detail: 'Reload the page' };
  if (!s.connected) return { tone: 'idle', label: 'Reconnecting…', detail: null };
  if (!s.clockReady) return { tone: 'idle', label: 'Syncing clock…', detail: rtt };
  if (s.buffering) return { tone: 'fair', label: 'Buffering', detail: rtt };
  if (s.driftMs === null || s.state === 'idle') return { tone: 'good', label: 'Clock synced', detail: rtt };
  const drift = Math.abs(s.driftMs);
  const driftText = `${drift < 10 ? drift.toFixed(1) : Math.round(drift)} ms off`;
  const detail = [driftText, rtt].filter(Boolean).join(' · ');
  if (drift <= FRAME_MS) return { tone: 'good', label: 'In sync', detail };
  if (drift <= FAIR_MS) return { tone: 'fair', label: 'Syncing', detail };
  return { tone: 'poor', label: 'Catching up', detail };
}
