import { describe, expect, it } from 'vitest';

import type { ServerFrame } from '@/lib/protocol/v1.gen';

import { participant, roomState } from '../testing/live-fixtures';

import { INITIAL_LIVE_SNAPSHOT, reduceLiveSnapshot } from './live-snapshot';
import type { LiveSnapshot } from './live-room';

const bob = participant('m_bob', 'bob');

const reduce = (frames: ServerFrame[], from: LiveSnapshot = INITIAL_LIVE_SNAPSHOT): LiveSnapshot =>
  frames.reduce(reduceLiveSnapshot, from);

const away = { ownerId: 'u_ann', sinceServerTime: 100, message: 'The owner disconnected. Waiting for them to come back…' };

describe('reduceLiveSnapshot', () => {
  it('starts connecting, with nothing known', () => {
    expect(INITIAL_LIVE_SNAPSHOT).toEqual({
      connection: 'connecting',
      room: null,
      participants: [],
      buffering: null,
      ownerAway: null,
      offer: null,
      removed: null,
      ownerChanged: null,
      endReason: null,
    });
  });

  it('keeps room:state and room:participants as sent', () => {
    const state = roomState();
    const next = reduce([
      { type: 'room:state', data: state },
      { type: 'room:participants', data: { participants: [bob] } },
    ]);
    expect(next.room).toBe(state);
    expect(next.participants).toEqual([bob]);
  });

  it('keeps the owner-away notice while the phase is OWNER_AWAY and drops it when the phase changes', () => {
    const awayNow = reduce([
      { type: 'room:owner_away', data: away },
      { type: 'room:state', data: roomState({ phase: 'OWNER_AWAY' }) },
    ]);
    expect(awayNow.ownerAway).toEqual(away);
    expect(reduce([{ type: 'room:state', data: roomState({ phase: 'PAUSED' }) }], awayNow).ownerAway).toBeNull();
  });

  it('keeps the last buffering notice, an empty one included', () => {
    const waiting = reduce([
      {
        type: 'room:buffering',
        data: { waitingFor: ['m_bob'], names: ['bob'], policy: 'wait_then_continue', waitUntilServerTime: 5000 },
      },
    ]);
    expect(waiting.buffering?.names).toEqual(['bob']);
    const done = reduce(
      [{ type: 'room:buffering', data: { waitingFor: [], names: [], policy: 'wait_then_continue', waitUntilServerTime: null } }],
      waiting,
    );
    expect(done.buffering?.waitingFor).toEqual([]);
  });

  it('keeps an offer until someone reclaims the room', () => {
    const offer = { currentOwnerId: 'u_bob', expiresAtServerTime: 60_000 };
    const offered = reduce([
      { type: 'room:state', data: roomState({ you: 'm_ann', ownerId: 'u_bob', ownerMemberId: 'm_bob' }) },
      { type: 'room:offer_ownership', data: offer },
    ]);
    expect(offered.offer).toEqual(offer);
    const handedOn = reduce(
      [
        {
          type: 'room:owner_changed',
          data: { newOwnerId: 'u_cleo', newOwnerMemberId: 'm_cleo', previousOwnerId: 'u_bob', reason: 'auto_handover' },
        },
      ],
      offered,
    );
    expect(handedOn.offer).toEqual(offer);
    const reclaimed = reduce(
      [
        {
          type: 'room:owner_changed',
          data: { newOwnerId: 'u_ann', newOwnerMemberId: 'm_ann', previousOwnerId: 'u_cleo', reason: 'reclaimed' },
        },
      ],
      handedOn,
    );
    expect(reclaimed.offer).toBeNull();
  });

  it('records an ownership change, moves the room’s owner at once and ends the owner-away notice', () => {
    const change = { newOwnerId: 'u_bob', newOwnerMemberId: 'm_bob', previousOwnerId: 'u_ann', reason: 'auto_handover' };
    const next = reduce([
      { type: 'room:state', data: roomState({ phase: 'OWNER_AWAY' }) },
      { type: 'room:owner_away', data: away },
      { type: 'room:owner_changed', data: change },
    ]);
    expect(next.ownerChanged).toEqual(change);
    expect(next.room).toMatchObject({ ownerId: 'u_bob', ownerMemberId: 'm_bob', you: 'm_bob' });
    expect(next.ownerAway).toBeNull();
    // Before any room:state there is no room to move.
    expect(reduce([{ type: 'room:owner_changed', data: change }]).room).toBeNull();
  });

  it('records a removal', () => {
    const removed = { reason: 'kicked', message: 'The owner removed you from the room.', detail: 'spoilers' };
    expect(reduce([{ type: 'room:removed', data: removed }]).removed).toEqual(removed);
  });

  it('leaves the snapshot as it is for frames the UI does not show', () => {
    const frames: ServerFrame[] = [
      { type: 'time:pong', data: { t0: 1, t1: 2, t2: 3 } },
      { type: 'ack', id: 'r1', data: { sequenceNumber: null, duplicate: false, commandId: null, message: null } },
      { type: 'server:shutdown', data: { reconnectIn: 1000 } },
    ];
    for (const frame of frames) expect(reduceLiveSnapshot(INITIAL_LIVE_SNAPSHOT, frame)).toBe(INITIAL_LIVE_SNAPSHOT);
  });
});
