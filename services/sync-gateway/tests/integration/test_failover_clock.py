"""Owner failover on an injected clock, with the product's own timings: away after 15 s, handover by
join order, the reclaim offer good for 60 s."""

from __future__ import annotations

import asyncio
import time

import pytest

from syncwatch.core.clock import ManualClock
from syncwatch.sync_gateway.gateway import Policy
from syncwatch.testing.tokens import TestUser

pytestmark = pytest.mark.integration


async def test_away_after_fifteen_seconds_handover_by_join_order_and_reclaim_window(
    stack, infra
) -> None:
    clock = ManualClock(start=time.time())
    runner, url = await stack.extra_gateway(
        infra, clock=clock, policy=Policy(tick_s=0.1, frames_per_second=1000, frame_burst=1000)
    )
    try:
        owner, first, second = TestUser.new(), TestUser.new(), TestUser.new()
        room = await stack.create_room(owner)
        await stack.join_user(room["code"], first)
        await stack.join_user(room["code"], second)
        clients = {}
        for user in (owner, second, first):  # connection order differs from join order
            c = await stack.client_at(url, stack.signer.token(user))
            assert (await c.request("room:join", {"roomCode": room["code"]}))["type"] == "ack"
            clients[user.id] = c
        await clients[owner.id].ws.close()

        clock.advance(14.0)
        with pytest.raises(TimeoutError):
            await clients[first.id].next("room:owner_changed", within=1.0)

        clock.advance(1.5)
        changed = (await clients[first.id].next("room:owner_changed", within=5))["data"]
        assert changed["reason"] == "auto_handover"
        assert changed["newOwnerId"] == first.id  # joined the room first
        assert (await clients[second.id].next("room:owner_changed"))["data"] == changed

        # Back within 60 s: offered the room.
        clock.advance(30.0)
        back = await stack.client_at(url, stack.signer.token(owner))
        await back.request("room:join", {"roomCode": room["code"]})
        offer = (await back.next("room:offer_ownership"))["data"]
        assert offer["expiresAtServerTime"] == pytest.approx(
            (clock.now() - 30.0) * 1000 + 60_000, abs=2_000
        )
        await back.ws.close()

        # Back after 60 s: no offer, and reclaiming is refused.
        clock.advance(31.0)
        late = await stack.client_at(url, stack.signer.token(owner))
        await late.request("room:join", {"roomCode": room["code"]})
        with pytest.raises(TimeoutError):
            await late.next("room:offer_ownership", within=1.0)
        refused = await late.request("owner:reclaim")
        assert refused["data"]["code"] == "no_offer"
    finally:
        await runner.stop()
        await asyncio.sleep(0)
