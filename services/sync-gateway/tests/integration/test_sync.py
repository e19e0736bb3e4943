"""Rooms over the socket: join, permissions, one order across replicas, idempotency, conflicts,
catch-up, removal."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from syncwatch.testing.tokens import TestUser
from syncwatch.testing.ws import close_code

pytestmark = pytest.mark.integration


async def room_with(stack, control: str = "owner_only", members: int = 1):
    owner = TestUser.new()
    room = await stack.create_room(owner, playbackControl=control)
    users = [TestUser.new() for _ in range(members)]
    for u in users:
        await stack.join_user(room["code"], u)
    return room, owner, users


async def test_join_sends_state_snapshot_and_participants(stack) -> None:
    room, owner, (bob,) = await room_with(stack)
    client = await stack.client(stack.signer.token(owner))
    ack = await client.request("room:join", {"roomCode": room["code"].lower()})
    assert ack["type"] == "ack"
    state = (await client.next("room:state"))["data"]
    assert state["roomId"] == room["id"]
    assert state["phase"] == "WAITING"
    assert state["canControl"] is True
    snapshot = (await client.next("sync:state_snapshot"))["data"]
    assert snapshot["state"]["sequenceNumber"] == 0
    assert snapshot["state"]["isPlaying"] is False
    people = (await client.next("room:participants"))["data"]["participants"]
    assert [p["name"] for p in people] == [owner.username, bob.username]
    assert people[0]["role"] == "owner"
    assert people[0]["online"] is True
    assert people[1]["online"] is False
    # Bob connecting shows him online to the owner.
    await stack.member(stack.signer.token(bob), room["code"], replica=1)
    async with asyncio.timeout(5):
        while True:
            people = (await client.next("room:participants"))["data"]["participants"]
            if people[1]["online"]:
                break


async def test_a_non_member_cannot_join_over_the_socket(stack) -> None:
    room, _, _ = await room_with(stack, members=0)
    client = await stack.client(stack.signer.token(TestUser.new()))
    answer = await client.request("room:join", {"roomCode": room["code"]})
    assert answer["type"] == "room:error"
    assert answer["data"]["code"] == "not_member"
    unknown = await client.request("room:join", {"roomCode": "ZZZZZZZZ"})
    assert unknown["data"]["code"] in ("room_not_found",)


async def test_owner_only_refuses_members_and_orders_the_owners_commands(stack) -> None:
    room, owner, (bob,) = await room_with(stack)
    alice = await stack.member(stack.signer.token(owner), room["code"], replica=0)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    refused = await b.request("sync:play")
    assert refused["type"] == "room:error"
    assert refused["data"]["code"] == "not_allowed"

    source = await alice.request(
        "sync:source", {"sourceType": "external", "sourceId": "https://example.test/v.mp4"}
    )
    assert source["type"] == "ack", source
    assert source["data"]["sequenceNumber"] == 1
    sent = time.time() * 1000
    play = await alice.request("sync:play", {"expectedSequence": 1})
    assert play["data"]["sequenceNumber"] == 2
    for client in (alice, b):
        first = (await client.next("sync:command"))["data"]
        second = (await client.next("sync:command"))["data"]
        assert [first["type"], second["type"]] == ["SOURCE", "PLAY"]
        assert [first["sequenceNumber"], second["sequenceNumber"]] == [1, 2]
        assert second["state"]["isPlaying"] is True
        assert second["state"]["sourceId"] == "https://example.test/v.mp4"
        assert second["atServerTime"] > sent  # scheduled in the near future
        assert second["atServerTime"] - sent < 2000
        assert second["issuedBy"] == owner.id


async def test_two_controllers_on_two_replicas_see_one_gapless_order(stack) -> None:
    room, owner, (bob,) = await room_with(stack, control="all")
    a = await stack.member(stack.signer.token(owner), room["code"], replica=0)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    n = 15

    async def fire(client, base: float) -> None:
        for i in range(n):
            await client.send("sync:seek", {"targetMediaTime": base + i})

    await asyncio.gather(fire(a, 1000.0), fire(b, 5000.0))
    orders = []
    for client in (a, b):
        seen = []
        while len(seen) < 2 * n:
            seen.append((await client.next("sync:command"))["data"])
        orders.append([(c["sequenceNumber"], c["targetMediaTime"]) for c in seen])
    assert orders[0] == orders[1]
    assert [s for s, _ in orders[0]] == list(range(1, 2 * n + 1))


async def test_idempotency_key_and_expected_sequence(stack) -> None:
    room, owner, _ = await room_with(stack, members=0)
    a = await stack.member(stack.signer.token(owner), room["code"])
    key = uuid.uuid4().hex
    first = await a.request("sync:seek", {"targetMediaTime": 10_000, "idempotencyKey": key})
    again = await a.request("sync:seek", {"targetMediaTime": 10_000, "idempotencyKey": key})
    assert first["data"]["sequenceNumber"] == again["data"]["sequenceNumber"] == 1
    assert again["data"]["duplicate"] is True
    stale = await a.request("sync:pause", {"expectedSequence": 0})
    assert stale["type"] == "room:error"
    assert stale["data"]["code"] == "conflict"
    assert stale["data"]["currentSequence"] == 1
    await a.next("sync:command")
    with pytest.raises(TimeoutError):
        await a.next("sync:command", within=0.5)  # the repeat was never applied twice


async def test_reconnecting_with_last_sequence_gets_exactly_what_was_missed(stack) -> None:
    room, owner, (bob,) = await room_with(stack)
    a = await stack.member(stack.signer.token(owner), room["code"])
    for t in (1000, 2000, 3000):
        await a.request("sync:seek", {"targetMediaTime": t})
    b = await stack.client(stack.signer.token(bob), replica=1)
    await b.request("room:join", {"roomCode": room["code"], "lastSequence": 1})
    catchup = (await b.next("sync:catchup"))["data"]
    assert [c["sequenceNumber"] for c in catchup["commands"]] == [2, 3]
    assert catchup["state"]["anchorMediaTime"] == 3000


async def test_a_kicked_member_is_told_why_and_disconnected(stack) -> None:
    room, owner, (bob,) = await room_with(stack)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    members = (await stack.join_user(room["code"], bob))["member"]
    async with stack.http() as c:
        resp = await c.post(
            f"/api/rooms/{room['code']}/members/{members['id']}/kick",
            json={"reason": "spoilers"},
            headers=stack.signer.auth(owner),
        )
    assert resp.status_code == 204
    removed = (await b.next("room:removed"))["data"]
    assert removed["reason"] == "kicked"
    assert removed["detail"] == "spoilers"
    assert await close_code(b.ws) == 4403


async def test_selected_mode_lets_granted_members_control(stack) -> None:
    room, owner, (bob, carl) = await room_with(stack, control="selected", members=2)
    members = {
        m["user"]["id"]: m["id"] for m in (await stack.join_user(room["code"], bob))["members"]
    }
    async with stack.http() as c:
        resp = await c.put(
            f"/api/rooms/{room['code']}/controllers/{members[bob.id]}",
            headers=stack.signer.auth(owner),
        )
    assert resp.status_code == 204
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    c_ = await stack.member(stack.signer.token(carl), room["code"], replica=0)
    assert (await b.request("sync:seek", {"targetMediaTime": 5000}))["type"] == "ack"
    refused = await c_.request("sync:seek", {"targetMediaTime": 9000})
    assert refused["data"]["code"] == "not_allowed"
    # Revoking reaches the gateway through the room's events.
    async with stack.http() as c:
        resp = await c.delete(
            f"/api/rooms/{room['code']}/controllers/{members[bob.id]}",
            headers=stack.signer.auth(owner),
        )
    assert resp.status_code == 204
    async with asyncio.timeout(5):
        while (await b.next("room:state"))["data"]["canControl"]:
            pass
    assert (await b.request("sync:play"))["data"]["code"] == "not_allowed"


async def test_reports_become_participants_health_and_metrics(stack) -> None:
    room, owner, _ = await room_with(stack, members=0)
    a = await stack.member(stack.signer.token(owner), room["code"])
    await a.send(
        "sync:report",
        {"driftMs": -3.5, "rttMs": 42.0, "state": "playing", "bufferedAheadMs": 8000},
        request=False,
    )
    async with asyncio.timeout(6):
        while True:
            people = (await a.next("room:participants"))["data"]["participants"]
            if people[0]["health"] is not None:
                break
    assert people[0]["health"]["driftMs"] == -3.5
    assert people[0]["health"]["rttMs"] == 42.0
    assert people[0]["health"]["state"] == "playing"
    port = stack.gateway_settings[0].http_port
    async with httpx.AsyncClient() as c:
        text = (await c.get(f"http://127.0.0.1:{port}/metrics")).text
    assert "syncwatch_playback_drift_ms_bucket" in text
    assert "syncwatch_ws_connections" in text
