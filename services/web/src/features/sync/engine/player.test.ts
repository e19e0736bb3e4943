import { describe, expect, it, vi } from 'vitest';

import { isAutoplayBlocked, nearestRate, PlayerEventEmitter, rateStep, YOUTUBE_RATES } from './player';

describe('player helpers', () => {
  it('recognises an autoplay refusal', () => {
    expect(isAutoplayBlocked(new DOMException('no', 'NotAllowedError'))).toBe(true);
    expect(isAutoplayBlocked(new DOMException('interrupted', 'AbortError'))).toBe(false);
    expect(isAutoplayBlocked('NotAllowedError')).toBe(false);
    expect(isAutoplayBlocked(null)).toBe(false);
  });

  it('steps to the neighbouring allowed rate', () => {
    expect(rateStep(YOUTUBE_RATES, 1, true)).toBe(1.25);
    expect(rateStep(YOUTUBE_RATES, 1, false)).toBe(0.75);
    expect(rateStep(YOUTUBE_RATES, 1.1, true)).toBe(1.25);
    expect(rateStep(YOUTUBE_RATES, 2, true)).toBeNull();
    expect(rateStep(YOUTUBE_RATES, 0.25, false)).toBeNull();
  });

  it('finds the nearest allowed rate', () => {
    expect(nearestRate(YOUTUBE_RATES, 1.1)).toBe(1);
    expect(nearestRate(YOUTUBE_RATES, 1.2)).toBe(1.25);
    expect(nearestRate(YOUTUBE_RATES, 3)).toBe(2);
  });

  it('emits typed events to subscribers until they unsubscribe', () => {
    const emitter = new PlayerEventEmitter();
    const onSeeked = vi.fn();
    const onInterrupted = vi.fn();
    const off = emitter.on('seeked', onSeeked);
    emitter.on('interrupted', onInterrupted);
    emitter.emit('seeked');
    emitter.emit('interrupted', { active: true, reason: 'ad' });
    off();
    emitter.emit('seeked');
    expect(onSeeked).toHaveBeenCalledTimes(1);
    expect(onInterrupted).toHaveBeenCalledWith({ active: true, reason: 'ad' });
  });
});
