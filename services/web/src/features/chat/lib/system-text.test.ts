import { describe, expect, it } from 'vitest';

import { systemMessage } from '@/testing/chat-fixtures';

import { formatPosition, systemText } from './system-text';

const text = (kind: string, name: string, data: Record<string, string> = {}) => systemText(systemMessage(1, kind, name, data));

describe('systemText', () => {
  it('says who did what', () => {
    expect(text('pause', 'Ann')).toBe('Ann paused');
    expect(text('play', 'Ann')).toBe('Ann pressed play');
    expect(text('seek', 'Bob', { position: '5010.4' })).toBe('Bob jumped to 1:23:30');
    expect(text('seek', 'Bob', { position: '83.25' })).toBe('Bob jumped to 1:23');
    expect(text('rate', 'Bob', { rate: '1.5' })).toBe('Bob set the speed to 1.5×');
    expect(text('join', 'Kim', { memberId: 'm_kim', memberKind: 'user' })).toBe('Kim joined');
    expect(text('join', 'Kim', { memberId: 'm_kim', memberKind: 'guest' })).toBe('Kim joined as a guest');
    expect(text('leave', 'Kim')).toBe('Kim left');
    expect(text('kicked', 'Kim')).toBe('Kim was removed from the room');
    expect(text('banned', 'Kim')).toBe('Kim was banned from the room');
    expect(text('source', 'Ann', { title: 'Big Buck Bunny' })).toBe('Ann changed the video to “Big Buck Bunny”');
    expect(text('source', 'Ann')).toBe('Ann changed the video');
  });

  it('speaks of the room when nobody in particular acted', () => {
    expect(text('pause', '')).toBe('Playback paused');
    expect(text('leave', '')).toBe('Someone left');
    expect(text('mystery', '')).toBe('Something changed in the room');
  });

  it('formats positions like the player', () => {
    expect(formatPosition(0)).toBe('0:00');
    expect(formatPosition(65)).toBe('1:05');
    expect(formatPosition(5010)).toBe('1:23:30');
  });
});
