"""Guests on the socket, owner away and handover, reclaim, sign-out, graceful shutdown and resume."""

from __future__ import annotations

import asyncio
import json

import nats
import pytest

from syncwatch.testing.tokens import TestUser
from syncwatch.testing.ws import close_code

pytestmark = pytest.mark.integration


async def test_a_guest_joins_with_their_guest_token_and_only_their_room(stack) -> None:
    owner = TestUser.new()
    room = await stack.create_room(owner)
    other = await stack.create_room(TestUser.new())
    guest = await stack.join_guest(room["code"], "Kim")
    client = await stack.member(guest["guestToken"], room["code"], replica=1)
    people = (await client.next("room:participants"))["data"]["participants"]
    kim = next(p for p in people if p["name"] == "Kim")
    assert kim["kind"] == "guest"
    assert kim["online"] is True
    refused = await client.request("room:join", {"roomCode": other["code"]})
    assert refused["data"]["code"] == "not_member"
    play = await client.request("sync:play")
    assert play["data"]["code"] == "not_allowed"


async def test_owner_away_hands_over_and_the_owner_may_take_it_back(stack) -> None:
    owner, bob = TestUser.new(), TestUser.new()
    room = await stack.create_room(owner)
    await stack.join_user(room["code"], bob)
    a = await stack.member(stack.signer.token(owner), room["code"], replica=0)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    await a.ws.close()
    changed = (await b.next("room:owner_changed", within=10))["data"]
    assert changed["reason"] == "auto_handover"
    assert changed["newOwnerId"] == bob.id
    assert changed["previousOwnerId"] == owner.id
    async with asyncio.timeout(5):
        while not (await b.next("room:state"))["data"]["canControl"]:
            pass
    back = await stack.client(stack.signer.token(owner), replica=0)
    await back.request("room:join", {"roomCode": room["code"]})
    offer = (await back.next("room:offer_ownership"))["data"]
    assert offer["currentOwnerId"] == bob.id
    reclaimed = await back.request("owner:reclaim")
    assert reclaimed["type"] == "ack", reclaimed
    again = (await b.next("room:owner_changed"))["data"]
    assert again["reason"] == "reclaimed"
    assert again["newOwnerId"] == owner.id


async def test_without_handover_an_owner_away_pauses_playback(stack) -> None:
    owner, bob = TestUser.new(), TestUser.new()
    room = await stack.create_room(owner, handover={"enabled": False})
    await stack.join_user(room["code"], bob)
    a = await stack.member(stack.signer.token(owner), room["code"])
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    await a.request("sync:source", {"sourceType": "external", "sourceId": "https://x.test/a.mp4"})
    await a.request("sync:play")
    await a.ws.close()
    away = (await b.next("room:owner_away", within=10))["data"]
    assert away["ownerId"] == owner.id
    paused = None
    async with asyncio.timeout(5):
        while paused is None or paused["type"] != "PAUSE":
            paused = (await b.next("sync:command"))["data"]
    assert paused["issuedBy"] == "system"
    assert paused["state"]["isPlaying"] is False


async def test_signing_out_closes_that_sessions_sockets(stack, infra) -> None:
    user = TestUser.new()
    room = await stack.create_room(user)
    kept = await stack.client(stack.signer.token(user, session_id="s_kept"))
    ended = await stack.member(stack.signer.token(user, session_id="s_ended"), room["code"])
    nc = await nats.connect(infra.nats_url)
    try:
        await nc.publish(
            f"syncwatch.evt.auth.{user.id}.session_revoked",
            json.dumps(
                {
                    "id": "e1",
                    "userId": user.id,
                    "sessionIds": ["s_ended"],
                    "reason": "logout",
                    "at": "2026-11-24T00:00:00Z",
                }
            ).encode(),
        )
        await nc.flush()
    finally:
        await nc.close()
    removed = (await ended.next("room:removed"))["data"]
    assert removed["reason"] == "signed_out"
    assert await close_code(ended.ws) == 4401
    rid = await kept.send("time:ping", {"t0": 1})
    assert (await kept.next("time:pong"))["id"] == rid


async def test_a_stopping_replica_sends_members_elsewhere_and_they_resume(stack) -> None:
    owner, bob = TestUser.new(), TestUser.new()
    room = await stack.create_room(owner)
    await stack.join_user(room["code"], bob)
    a = await stack.member(stack.signer.token(owner), room["code"], replica=0)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    await a.request("sync:seek", {"targetMediaTime": 1000})
    last = (await b.next("sync:command"))["data"]["sequenceNumber"]
    stopping = asyncio.create_task(stack.gateways[1].stop())
    shutdown = (await b.next("server:shutdown"))["data"]
    assert shutdown["reconnectIn"] > 0
    assert await close_code(b.ws) == 1012
    await stopping
    await a.request("sync:seek", {"targetMediaTime": 2000})  # while bob is away
    resumed = await stack.client(stack.signer.token(bob), replica=0)
    await resumed.request("room:join", {"roomCode": room["code"], "lastSequence": last})
    catchup = (await resumed.next("sync:catchup"))["data"]
    assert [c["targetMediaTime"] for c in catchup["commands"]] == [2000]
    await stack.restart_gateway(1)
