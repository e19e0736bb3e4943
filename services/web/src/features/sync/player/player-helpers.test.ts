import { describe, expect, it } from 'vitest';

import { bufferingSentence, controlHint, formatMediaTime, formatRate, spokenMediaTime } from './format';
import { YOUTUBE_PRECISION_NOTICE, precisionNotice } from './precision';
import { describeSyncHealth } from './sync-health';
import { isPlayerKeyTarget, shortcutFor } from './use-player-shortcuts';

const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, repeat: false, ...extra });

describe('shortcutFor', () => {
  it('maps the player keys', () => {
    expect(shortcutFor(key(' '))).toEqual({ kind: 'toggle-play' });
    expect(shortcutFor(key('K'))).toEqual({ kind: 'toggle-play' });
    expect(shortcutFor(key('ArrowLeft'))).toEqual({ kind: 'seek-by', deltaMs: -5000 });
    expect(shortcutFor(key('ArrowRight'))).toEqual({ kind: 'seek-by', deltaMs: 5000 });
    expect(shortcutFor(key('j'))).toEqual({ kind: 'seek-by', deltaMs: -10_000 });
    expect(shortcutFor(key('l'))).toEqual({ kind: 'seek-by', deltaMs: 10_000 });
    expect(shortcutFor(key('f'))).toEqual({ kind: 'fullscreen' });
    expect(shortcutFor(key('m'))).toEqual({ kind: 'mute' });
  });

  it('leaves the browser’s own shortcuts and held toggles alone', () => {
    expect(shortcutFor(key('f', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('l', { metaKey: true }))).toBeNull();
    expect(shortcutFor(key(' ', { repeat: true }))).toBeNull();
    expect(shortcutFor(key('ArrowRight', { repeat: true }))).toEqual({ kind: 'seek-by', deltaMs: 5000 });
    expect(shortcutFor(key('x'))).toBeNull();
  });
});

describe('isPlayerKeyTarget', () => {
  it('takes keys on the stage or on nothing, not in fields elsewhere or on buttons for space', () => {
    document.body.innerHTML = '<input id="chat"><div id="stage"><button id="b">x</button><input id="seek" type="range"></div>';
    const stage = document.getElementById('stage');
    const byId = (id: string) => document.getElementById(id);
    expect(isPlayerKeyTarget(stage, document.body, ' ')).toBe(true);
    expect(isPlayerKeyTarget(stage, stage, 'k')).toBe(true);
    expect(isPlayerKeyTarget(stage, byId('chat'), 'k')).toBe(false);
    expect(isPlayerKeyTarget(stage, byId('b'), ' ')).toBe(false);
    expect(isPlayerKeyTarget(stage, byId('b'), 'k')).toBe(true);
    expect(isPlayerKeyTarget(stage, byId('seek'), 'ArrowLeft')).toBe(false);
    expect(isPlayerKeyTarget(stage, byId('seek'), 'm')).toBe(true);
    document.body.innerHTML = '';
  });
});

describe('format', () => {
  it('writes media times and rates', () => {
    expect(formatMediaTime(0)).toBe('0:00');
    expect(formatMediaTime(65_999)).toBe('1:05');
    expect(formatMediaTime(3_725_000)).toBe('1:02:05');
    expect(spokenMediaTime(61_000)).toBe('1 minute 1 second');
    expect(spokenMediaTime(0)).toBe('0 seconds');
    expect(formatRate(1.25)).toBe('1.25×');
  });

  it('says who is buffering', () => {
    expect(bufferingSentence([])).toBeNull();
    expect(bufferingSentence(['Alex'])).toBe('Alex is buffering…');
    expect(bufferingSentence(['Alex', 'Sam'])).toBe('Alex and Sam are buffering…');
  });

  it('words the control hint after the room’s mode', () => {
    expect(controlHint(null)).toBe('Only the owner controls playback');
    expect(controlHint({ playbackControl: 'owner_only' })).toBe('Only the owner controls playback');
    expect(controlHint({ playbackControl: 'selected' })).toMatch(/members they choose/);
  });
});

describe('precisionNotice', () => {
  it('warns for YouTube and Dailymotion, and for Vimeo only once it cannot change speed', () => {
    expect(precisionNotice('youtube', null)).toBe(YOUTUBE_PRECISION_NOTICE);
    expect(precisionNotice('dailymotion', null)).toMatch(/no speed control/);
    expect(precisionNotice('vimeo', { rateControl: 'continuous' })).toBeNull();
    expect(precisionNotice('vimeo', { rateControl: 'coarse' })).toMatch(/does not allow speed changes/);
    expect(precisionNotice('direct', null)).toBeNull();
  });
});

describe('describeSyncHealth', () => {
  const base = { connected: true, upgradeRequired: false, clockReady: true, driftMs: 2.4, rttMs: 41.6, state: 'playing', buffering: false } as const;

  it('grades drift against one frame', () => {
    expect(describeSyncHealth(base)).toEqual({ tone: 'good', label: 'In sync', detail: '2.4 ms off · RTT 42 ms' });
    expect(describeSyncHealth({ ...base, driftMs: -40 })).toMatchObject({ tone: 'fair', label: 'Syncing' });
    expect(describeSyncHealth({ ...base, driftMs: 450 })).toMatchObject({ tone: 'poor', label: 'Catching up' });
  });

  it('says what stands before sync', () => {
    expect(describeSyncHealth({ ...base, connected: false })).toMatchObject({ label: 'Reconnecting…' });
    expect(describeSyncHealth({ ...base, clockReady: false })).toMatchObject({ label: 'Syncing clock…' });
    expect(describeSyncHealth({ ...base, driftMs: null })).toMatchObject({ label: 'Clock synced' });
    expect(describeSyncHealth({ ...base, buffering: true })).toMatchObject({ label: 'Buffering' });
  });
});
