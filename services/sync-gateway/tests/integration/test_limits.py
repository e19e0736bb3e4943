"""Abuse on one socket: floods are throttled, garbage is answered frame by frame, the socket lives."""

from __future__ import annotations

import json
import random

import pytest

from syncwatch.sync_gateway.gateway import Policy
from syncwatch.testing.tokens import TestUser
from syncwatch.testing.ws import close_code

pytestmark = pytest.mark.integration

JUNK = [
    "not json",
    "[]",
    "{}",
    '{"type": 5}',
    '{"type":"sync:warp","id":"x"}',
    '{"type":"sync:seek","id":"x","data":{"targetMediaTime":"soon"}}',
    '{"type":"sync:seek","id":"x","data":{"targetMediaTime":-5}}',
    '{"type":"sync:rate","id":"x","data":{"rate":99}}',
    '{"type":"sync:source","id":"x","data":{"sourceType":"ftp","sourceId":"a"}}',
    '{"type":"room:join","id":"x","data":{"roomCode":""}}',
    '{"type":"sync:play","id":"x"}',
    '{"type":"hello","id":"x","data":{"protocolVersion":"1.0.0","clientId":"a"}}',
    '{"type":"time:ping","id":"x","data":{"t0":"yesterday"}}',
    '{"type":"sync:report","data":{"driftMs":1e99,"rttMs":1}}',
]


async def test_a_thousand_malformed_frames_are_each_answered_and_the_socket_lives(stack) -> None:
    client = await stack.client(stack.signer.token(TestUser.new()))
    rng = random.Random(7)
    frames = [rng.choice(JUNK) for _ in range(1000)]
    for raw in frames:
        await client.ws.send(raw)
    codes = [(await client.next("room:error"))["data"]["code"] for _ in frames]
    assert len(codes) == 1000
    assert set(codes) <= {"bad_frame", "unknown_type", "invalid_request", "not_in_room"}
    rid = await client.send("time:ping", {"t0": 1})
    assert (await client.next("time:pong"))["id"] == rid


async def test_a_flood_is_rate_limited_then_closed(stack, infra) -> None:
    runner, url = await stack.extra_gateway(
        infra, policy=Policy(frames_per_second=20.0, frame_burst=40)
    )
    try:
        client = await stack.client_at(url, stack.signer.token(TestUser.new()))
        for i in range(60):
            await client.ws.send(
                json.dumps({"type": "time:ping", "id": f"p{i}", "data": {"t0": i}})
            )
        answers = [await client.next("room:error", "time:pong") for _ in range(60)]
        limited = [a for a in answers if a["type"] == "room:error"]
        assert limited
        assert {a["data"]["code"] for a in limited} == {"rate_limited"}
        assert all(a["data"]["retryAfter"] == 1 for a in limited)
        # Each refusal answers its request: a client waiting for that id learns at once.
        assert sorted(a["id"] for a in answers) == sorted(f"p{i}" for i in range(60))
        # Keeping on flooding long past the burst gets the socket closed.
        for i in range(200):
            await client.ws.send(json.dumps({"type": "time:ping", "data": {"t0": i}}))
        assert await close_code(client.ws) == 4429
    finally:
        await runner.stop()
