"""The first frames: hello, version negotiation, authentication, clock sync, malformed frames."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from syncwatch.protocol.v1 import MAX_FRAME_BYTES, PROTOCOL_VERSION
from syncwatch.testing.tokens import TestUser
from syncwatch.testing.ws import close_code

pytestmark = pytest.mark.integration


def hello(token: str | None, version: str = PROTOCOL_VERSION) -> str:
    data = {"protocolVersion": version, "clientId": uuid.uuid4().hex}
    if token is not None:
        data["token"] = token
    return json.dumps({"type": "hello", "id": 1, "data": data})


async def closed_with(ws) -> int | None:
    return await close_code(ws)


async def test_hello_answers_with_server_time_and_limits(stack) -> None:
    ws = await stack.raw()
    before = time.time() * 1000
    await ws.send(hello(stack.signer.token(TestUser.new())))
    frame = json.loads(await ws.recv())
    after = time.time() * 1000
    assert frame["type"] == "hello"
    assert frame["id"] == 1
    data = frame["data"]
    assert data["protocolVersion"] == PROTOCOL_VERSION
    assert data["compatible"] is True
    assert data["upgradeRequired"] is False
    assert before - 5 <= data["serverTime"] <= after + 5
    assert data["limits"]["maxFrameBytes"] == MAX_FRAME_BYTES
    assert data["ownerHeartbeatMs"] == 5000


async def test_an_incompatible_version_is_told_to_upgrade_and_closed(stack) -> None:
    ws = await stack.raw()
    await ws.send(hello(stack.signer.token(TestUser.new()), version="2.0.0"))
    frame = json.loads(await ws.recv())
    assert frame["data"]["compatible"] is False
    assert frame["data"]["upgradeRequired"] is True
    assert await closed_with(ws) == 4000


@pytest.mark.parametrize(
    ("token", "code"),
    [(None, "auth_required"), ("not-a-token", "auth_required"), ("a.b.c", "auth_required")],
)
async def test_hello_without_a_valid_token_is_refused(stack, token, code) -> None:
    ws = await stack.raw()
    await ws.send(hello(token))
    frame = json.loads(await ws.recv())
    assert frame["type"] == "room:error"
    assert frame["data"]["code"] == code
    assert await closed_with(ws) == 4401


async def test_the_first_frame_must_be_hello(stack) -> None:
    ws = await stack.raw()
    await ws.send(json.dumps({"type": "time:ping", "data": {"t0": 1}}))
    frame = json.loads(await ws.recv())
    assert frame["data"]["code"] == "hello_required"
    assert await closed_with(ws) == 4001


async def test_time_ping_gets_the_servers_receive_and_send_times(stack) -> None:
    client = await stack.client(stack.signer.token(TestUser.new()))
    t0 = 123.456
    rid = await client.send("time:ping", {"t0": t0})
    pong = await client.next("time:pong")
    assert pong["id"] == rid
    data = pong["data"]
    assert data["t0"] == t0
    assert data["t1"] <= data["t2"]
    assert abs(data["t1"] - time.time() * 1000) < 2000


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_frame"),
        ('{"type":"sync:warp","id":"x"}', "unknown_type"),
        ('{"type":"sync:seek","id":"x","data":{"targetMediaTime":"soon"}}', "invalid_request"),
        ('{"type":"sync:play","id":"x"}', "not_in_room"),
    ],
)
async def test_malformed_frames_get_a_coded_error_and_the_socket_lives(stack, raw, code) -> None:
    client = await stack.client(stack.signer.token(TestUser.new()))
    await client.ws.send(raw)
    frame = await client.next("room:error")
    assert frame["data"]["code"] == code
    rid = await client.send("time:ping", {"t0": 1})
    assert (await client.next("time:pong"))["id"] == rid


async def test_a_frame_over_64_kib_closes_the_socket(stack) -> None:
    client = await stack.client(stack.signer.token(TestUser.new()))
    await client.ws.send(json.dumps({"type": "time:ping", "data": {"pad": "x" * MAX_FRAME_BYTES}}))
    assert await closed_with(client.ws) == 1009
