import { describe, expect, it } from 'vitest';

import type { MyRoomEntry } from '@/features/home/api/home-rooms';
import { groupMyRooms, historyWhen, isFull, seatsText } from '@/features/home/lib/my-rooms';

const ann = { id: 'u_ann', username: 'ann' };
const NOW = Date.parse('2026-11-24T12:00:00Z');

function entry(code: string, overrides: Partial<MyRoomEntry> = {}): MyRoomEntry {
  return {
    room: { code, name: `Room ${code}`, owner: ann, seatsTaken: 1, maxParticipants: 5, hasPassword: false },
    role: 'owner',
    joinedAt: '2026-11-24T10:00:00Z',
    leftAt: null,
    live: true,
    ...overrides,
  };
}

const codes = (entries: MyRoomEntry[]) => entries.map((item) => item.room.code);

describe('groupMyRooms', () => {
  it('puts the rooms you are in first and the rest in history, each in the service’s order', () => {
    const grouped = groupMyRooms([
      entry('AAAAAAAA'),
      entry('BBBBBBBB', { role: 'member' }),
      entry('CCCCCCCC', { live: false, leftAt: '2026-11-24T09:00:00Z' }),
      entry('DDDDDDDD', { live: false }),
    ]);
    expect(codes(grouped.live)).toEqual(['AAAAAAAA', 'BBBBBBBB']);
    expect(codes(grouped.history)).toEqual(['CCCCCCCC', 'DDDDDDDD']);
  });

  it('does not repeat a room you are back in, nor older stays in one room', () => {
    const grouped = groupMyRooms([
      entry('AAAAAAAA'),
      entry('AAAAAAAA', { live: false, leftAt: '2026-11-24T09:30:00Z' }),
      entry('BBBBBBBB', { live: false, leftAt: '2026-11-24T09:00:00Z' }),
      entry('BBBBBBBB', { live: false, leftAt: '2026-11-23T09:00:00Z' }),
    ]);
    expect(codes(grouped.live)).toEqual(['AAAAAAAA']);
    expect(grouped.history).toHaveLength(1);
    expect(grouped.history[0]?.leftAt).toBe('2026-11-24T09:00:00Z');
  });

  it('copes with nothing at all', () => {
    expect(groupMyRooms([])).toEqual({ live: [], history: [] });
  });
});

describe('historyWhen', () => {
  it('says when you left, or that the room ended', () => {
    expect(historyWhen(entry('A', { live: false, leftAt: '2026-11-24T09:00:00Z' }), NOW)).toBe('Left 3 hours ago');
    expect(historyWhen(entry('A', { live: false, joinedAt: '2026-11-22T12:00:00Z' }), NOW)).toBe(
      'Ended · joined 2 days ago',
    );
    expect(historyWhen(entry('A', { live: false, joinedAt: 'garbage' }), NOW)).toBe('Ended');
  });
});

describe('seats', () => {
  it('reads "2/5" and says when the room is full', () => {
    expect(seatsText(2, 5)).toEqual({ short: '2/5', long: '2 of 5 seats taken' });
    expect(seatsText(3, 3)).toEqual({ short: '3/3', long: '3 of 3 seats taken, full' });
    expect(isFull({ seatsTaken: 3, maxParticipants: 3 })).toBe(true);
    expect(isFull({ seatsTaken: 2, maxParticipants: 3 })).toBe(false);
  });
});
