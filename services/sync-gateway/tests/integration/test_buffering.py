"""The room's buffering policy, enforced by the gateway for everyone."""

from __future__ import annotations

import pytest

from syncwatch.testing.tokens import TestUser

pytestmark = pytest.mark.integration


async def playing_room(stack, policy: str, grace: int = 1):
    owner, bob = TestUser.new(), TestUser.new()
    room = await stack.create_room(owner, buffering={"policy": policy, "graceSeconds": grace})
    await stack.join_user(room["code"], bob)
    a = await stack.member(stack.signer.token(owner), room["code"], replica=0)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    await a.request("sync:source", {"sourceType": "external", "sourceId": "https://x.test/a.mp4"})
    await a.request("sync:play")
    for client in (a, b):
        assert (await client.next("sync:command"))["data"]["type"] == "SOURCE"
        assert (await client.next("sync:command"))["data"]["type"] == "PLAY"
    return a, b, bob


async def test_wait_then_continue_pauses_then_plays_on_after_the_grace(stack) -> None:
    a, b, bob = await playing_room(stack, "wait_then_continue", grace=1)
    ack = await b.request("sync:buffering", {"buffering": True, "reason": "stall"})
    assert ack["type"] == "ack"
    notice = (await a.next("room:buffering"))["data"]
    assert notice["names"] == [bob.username]
    assert notice["policy"] == "wait_then_continue"
    assert notice["waitUntilServerTime"] is not None
    pause = (await a.next("sync:command"))["data"]
    assert (pause["type"], pause["issuedBy"]) == ("PAUSE", "system")
    # Bob is still buffering, but after the grace the room plays on without him.
    play = (await a.next("sync:command", within=6))["data"]
    assert (play["type"], play["issuedBy"]) == ("PLAY", "system")
    assert play["state"]["anchorMediaTime"] == pause["state"]["anchorMediaTime"]


async def test_always_wait_resumes_when_the_member_is_ready(stack) -> None:
    a, b, _ = await playing_room(stack, "always_wait")
    await b.request("sync:buffering", {"buffering": True})
    assert (await a.next("sync:command"))["data"]["type"] == "PAUSE"
    await b.request("sync:buffering", {"buffering": False})
    resumed = (await a.next("sync:command", within=5))["data"]
    assert (resumed["type"], resumed["issuedBy"]) == ("PLAY", "system")
    notice = None
    while notice is None or notice["waitingFor"]:
        notice = (await a.next("room:buffering"))["data"]


async def test_never_wait_does_not_pause_anyone(stack) -> None:
    a, b, bob = await playing_room(stack, "never_wait")
    await b.request("sync:buffering", {"buffering": True, "reason": "ad"})
    notice = (await a.next("room:buffering"))["data"]
    assert notice["names"] == [bob.username]
    with pytest.raises(TimeoutError):
        await a.next("sync:command", within=2)
    people = None
    while people is None or not any(p["buffering"] for p in people):
        people = (await a.next("room:participants"))["data"]["participants"]
