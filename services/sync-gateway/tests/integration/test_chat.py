"""Chat over the socket: acked only once stored, idempotent resends, guests read but cannot send,
the rate limit, text stays text, history and exact catch-up, system messages in order, deletion,
durability across a restart of the chat service."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from syncwatch.testing.tokens import TestUser

pytestmark = pytest.mark.integration


async def chat_room(stack, members: int = 1):
    owner = TestUser.new()
    room = await stack.create_room(owner)
    users = [TestUser.new() for _ in range(members)]
    for u in users:
        await stack.join_user(room["code"], u)
    return room, owner, users


async def say(client, text: str, cid: str | None = None) -> dict:
    return await client.request(
        "chat:message", {"content": text, "clientMessageId": cid or uuid.uuid4().hex}
    )


async def test_a_message_is_acked_once_stored_and_reaches_everyone(stack) -> None:
    room, owner, (bob,) = await chat_room(stack)
    a = await stack.member(stack.signer.token(owner), room["code"], replica=0)
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    assert (await a.next("chat:history"))["data"]["hasMore"] is False
    ack = await say(a, "hello <b>there</b>")
    assert ack["type"] == "ack", ack
    stored = ack["data"]["message"]
    assert stored["content"] == "hello <b>there</b>"  # text, exactly as sent
    assert stored["authorName"] == owner.username
    # Stored before the ack: a fresh page of history has it.
    fresh = await stack.member(stack.signer.token(bob), room["code"], replica=0)
    history = (await fresh.next("chat:history"))["data"]["messages"]
    assert [m["id"] for m in history if m["kind"] == "user"] == [stored["id"]]
    live = None
    while live is None or live["kind"] != "user":
        live = (await b.next("chat:message"))["data"]
    assert live["id"] == stored["id"]


async def test_a_resend_returns_the_same_message_and_stores_nothing_new(stack) -> None:
    room, owner, _ = await chat_room(stack, members=0)
    a = await stack.member(stack.signer.token(owner), room["code"])
    first = await say(a, "once", cid="same-id")
    again = await say(a, "once", cid="same-id")
    assert again["data"]["message"]["id"] == first["data"]["message"]["id"]
    assert again["data"]["duplicate"] is True
    page = await a.request("chat:history_request", {"limit": 50})
    assert page["type"] == "chat:history"
    history = page["data"]["messages"]
    assert [m["content"] for m in history if m["kind"] == "user"] == ["once"]


async def test_guests_read_but_cannot_send(stack) -> None:
    room, owner, _ = await chat_room(stack, members=0)
    guest = await stack.join_guest(room["code"], "Kim")
    g = await stack.member(guest["guestToken"], room["code"], replica=1)
    a = await stack.member(stack.signer.token(owner), room["code"])
    refused = await say(g, "can I?")
    assert refused["type"] == "room:error"
    assert refused["data"]["code"] == "auth_required"
    await say(a, "guests read this")
    seen = None
    while seen is None or seen["kind"] != "user":
        seen = (await g.next("chat:message"))["data"]
    assert seen["content"] == "guests read this"


async def test_thirty_messages_a_minute_then_rate_limited(stack) -> None:
    room, owner, _ = await chat_room(stack, members=0)
    a = await stack.member(stack.signer.token(owner), room["code"])
    answers = [await say(a, f"m{i}") for i in range(31)]
    assert all(x["type"] == "ack" for x in answers[:30])
    assert answers[30]["type"] == "room:error"
    assert answers[30]["data"]["code"] == "rate_limited"
    assert answers[30]["data"]["retryAfter"] > 0


async def test_rejoining_with_last_message_id_gets_exactly_what_was_missed(stack) -> None:
    room, owner, (bob,) = await chat_room(stack)
    a = await stack.member(stack.signer.token(owner), room["code"])
    ids = [(await say(a, f"n{i}"))["data"]["message"]["id"] for i in range(5)]
    b = await stack.client(stack.signer.token(bob), replica=1)
    await b.request("room:join", {"roomCode": room["code"], "lastMessageId": ids[1]})
    catchup = (await b.next("chat:catchup"))["data"]
    assert catchup["complete"] is True
    assert [m["id"] for m in catchup["messages"] if m["kind"] == "user"] == ids[2:]


async def test_play_and_seek_appear_in_chat_in_order_with_who_and_where(stack) -> None:
    room, owner, (bob,) = await chat_room(stack)
    a = await stack.member(stack.signer.token(owner), room["code"])
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    await a.request("sync:source", {"sourceType": "external", "sourceId": "https://v.test/a.mp4"})
    await say(a, "ready?")
    await a.request("sync:play")
    await a.request("sync:seek", {"targetMediaTime": 83_250})
    seen: list[dict] = []
    async with asyncio.timeout(10):
        while len(
            [
                m
                for m in seen
                if m["kind"] == "system" and m["systemKind"] in ("play", "seek", "source")
            ]
        ) < 3 or not any(m["kind"] == "user" for m in seen):
            seen.append((await b.next("chat:message"))["data"])
    system = {m["systemKind"]: m for m in seen if m["kind"] == "system"}
    assert system["seek"]["systemData"]["position"] == "83.25"
    assert system["play"]["authorName"] == owner.username
    # One order for everyone: by seq, the history page agrees.
    page = await b.request("chat:history_request", {"limit": 50})
    assert page["type"] == "chat:history"
    seqs = [m["seq"] for m in page["data"]["messages"]]
    assert seqs == sorted(seqs)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


async def test_deletion_rules_and_everyone_sees_the_tombstone(stack) -> None:
    room, owner, (bob, carl) = await chat_room(stack, members=2)
    a = await stack.member(stack.signer.token(owner), room["code"])
    b = await stack.member(stack.signer.token(bob), room["code"], replica=1)
    c = await stack.member(stack.signer.token(carl), room["code"])
    bobs = (await say(b, "spoiler!"))["data"]["message"]
    refused = await c.request("chat:delete", {"messageId": bobs["id"]})
    assert refused["data"]["code"] == "forbidden"
    gone = await a.request("chat:delete", {"messageId": bobs["id"]})
    assert gone["data"]["message"]["deleted"] is True
    tomb = None
    while tomb is None or not tomb["deleted"]:
        tomb = (await c.next("chat:message"))["data"]
    assert tomb["id"] == bobs["id"]
    assert tomb["content"] == ""


async def test_messages_survive_a_restart_of_the_chat_service(stack) -> None:
    room, owner, _ = await chat_room(stack, members=0)
    a = await stack.member(stack.signer.token(owner), room["code"])
    ids = [(await say(a, f"keep {i}"))["data"]["message"]["id"] for i in range(3)]
    await stack.restart_chat()
    again = await stack.member(stack.signer.token(owner), room["code"], replica=1)
    history = (await again.next("chat:history"))["data"]["messages"]
    assert [m["id"] for m in history if m["kind"] == "user"] == ids
