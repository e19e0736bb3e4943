"""Chat survives a restart of the whole stack (issue 6 acceptance).

A stack with its own embedded PostgreSQL, Redis and NATS (JetStream) in a temporary home: a room's
owner and a second signed-in member chat over `/ws`, issue playback commands (system messages) and
the owner deletes a message. Then every service and every server is stopped, and a new stack is
started on the same home. The same room is there; the history reads back exactly as it was acked
(ids, seq, content, authors, tombstone, system messages, order); a rejoin with the last message's id
misses nothing; the next message takes the next seq; the signing key, JetStream's streams and the
chat's durable consumers come back as they were.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import nats
import psutil
import pytest
from websockets.asyncio.client import connect

from syncwatch.core.clock import SystemClock
from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig, wait_ready
from syncwatch.testing.rooms import create_room, join_room
from syncwatch.testing.tokens import TestUser, TokenSigner
from syncwatch.testing.ws import Frames

pytestmark = pytest.mark.e2e

#: A loaded two-core machine answers slower than the protocol's usual few milliseconds.
ANSWER_S = 15.0
#: The streams chat's facts travel on, and the chat service's durable consumers.
STREAMS = ("ROOM_EVENTS", "SYNC_EVENTS", "CHAT_EVENTS")
CONSUMERS = (
    ("ROOM_EVENTS", "chat-room-system-messages"),
    ("SYNC_EVENTS", "chat-sync-system-messages"),
)
VIDEO = "https://v.test/durable.mp4"


def _stack(home: Path) -> DevStack:
    stack = DevStack(StackConfig(home=home, port=free_port(), restart_crashed=False))
    assert set(stack.infra) == {"postgres", "redis", "nats"}  # its own servers, all under home
    return stack


def _ws_url(stack: DevStack) -> str:
    return f"ws://127.0.0.1:{stack.config.port}/ws"  # through the edge, like a browser


async def _member(
    stack: DevStack, token: str, code: str, last_message_id: str | None = None
) -> Frames:
    """A socket past hello and room:join (with ``lastMessageId`` when given)."""
    frames = Frames(await connect(_ws_url(stack), open_timeout=ANSWER_S, max_queue=None))
    hello = await _request(
        frames, "hello", {"protocolVersion": "1.0.0", "clientId": uuid.uuid4().hex, "token": token}
    )
    assert hello["type"] == "hello", hello
    assert hello["data"]["compatible"], hello
    join: dict[str, Any] = {"roomCode": code}
    if last_message_id is not None:
        join["lastMessageId"] = last_message_id
    answer = await _request(frames, "room:join", join)
    assert answer["type"] == "ack", answer
    return frames


async def _request(frames: Frames, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return await frames.answer(await frames.send(type_, data), within=ANSWER_S)


async def _say(frames: Frames, content: str) -> dict[str, Any]:
    """Send one chat message; its acked message."""
    cid = uuid.uuid4().hex
    answer = await _request(frames, "chat:message", {"content": content, "clientMessageId": cid})
    assert answer["type"] == "ack", answer
    assert answer["data"]["duplicate"] is False, answer
    message: dict[str, Any] = answer["data"]["message"]
    assert (message["content"], message["clientMessageId"]) == (content, cid), message
    return message


async def _command(frames: Frames, type_: str, data: dict[str, Any] | None = None) -> int:
    answer = await _request(frames, type_, data or {})
    assert answer["type"] == "ack", answer
    return int(answer["data"]["sequenceNumber"])


async def _history(frames: Frames) -> list[dict[str, Any]]:
    """The room's whole chat, oldest first (it fits one page)."""
    page = await _request(frames, "chat:history_request", {"limit": 200})
    assert page["type"] == "chat:history", page
    assert page["data"]["hasMore"] is False, "the history is longer than this test writes"
    messages: list[dict[str, Any]] = page["data"]["messages"]
    return messages


def _system_kinds(history: list[dict[str, Any]]) -> Counter[str]:
    return Counter(m["systemKind"] for m in history if m["kind"] == "system")


async def _until_system_messages(
    frames: Frames, expected: Counter[str], within: float = 30.0
) -> list[dict[str, Any]]:
    """The history once exactly the ``expected`` system messages are in (they arrive through
    JetStream consumers, after the commands' acks)."""
    deadline = time.monotonic() + within
    while True:
        history = await _history(frames)
        kinds = _system_kinds(history)
        if kinds == expected:
            return history
        assert not kinds - expected, f"unexpected system messages: {kinds - expected}"
        if time.monotonic() > deadline:
            raise AssertionError(f"system messages {kinds}, expected {expected}")
        await asyncio.sleep(0.2)


async def _jetstream(url: str) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Each chat stream's (messages, last seq) and each chat consumer's (ack floor, pending)."""
    nc = await nats.connect(url, connect_timeout=5, allow_reconnect=False)
    try:
        js = nc.jetstream(timeout=5)
        streams = {}
        for name in STREAMS:
            info = await js.stream_info(name)
            streams[name] = (info.state.messages, info.state.last_seq)
        consumers = {}
        for stream, durable in CONSUMERS:
            c = await js.consumer_info(stream, durable)
            consumers[durable] = (c.ack_floor.stream_seq if c.ack_floor else 0, c.num_pending or 0)
        return streams, consumers
    finally:
        await nc.close()


async def _until_consumed(url: str, within: float = 30.0) -> tuple[dict[str, Any], dict[str, Any]]:
    """JetStream's state once chat's consumers have acknowledged everything."""
    deadline = time.monotonic() + within
    while True:
        streams, consumers = await _jetstream(url)
        caught_up = all(
            consumers[durable] == (streams[stream][1], 0) for stream, durable in CONSUMERS
        )
        if caught_up or time.monotonic() > deadline:
            return streams, consumers
        await asyncio.sleep(0.2)


def _pids(stack: DevStack) -> list[int]:
    pids = [i.pid for i in stack.instances.values()] + [s.pid for s in stack.infra.values()]
    assert all(pid is not None for pid in pids), pids
    return [pid for pid in pids if pid is not None]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def _close(*sockets: Frames) -> None:
    for frames in sockets:
        with contextlib.suppress(Exception):
            await frames.ws.close()


async def test_chat_history_survives_a_restart_of_the_whole_stack() -> None:
    started = time.monotonic()
    timings: list[str] = []

    def lap(what: str) -> None:
        timings.append(f"{time.monotonic() - started:5.1f}s {what}")

    home = Path(tempfile.mkdtemp(prefix="syncwatch-chat-durable-"))
    home.chmod(0o755)
    keys = home / "auth" / "keys"
    stack = _stack(home)
    sockets: list[Frames] = []
    try:
        # ---- before: a room, two signed-in members, chat, playback, a deletion --------------
        await stack.start()
        await wait_ready(stack, within_s=120)
        lap("first stack ready")
        key_files = sorted(p.name for p in keys.glob("*.pem"))
        assert key_files, f"auth made no signing key in {keys}"
        signer = TokenSigner.from_key_dir(SystemClock(), keys)
        owner, friend = TestUser.new(), TestUser.new()
        code = await create_room(stack.config.origin, signer, owner)
        await join_room(stack.config.origin, code, signer=signer, user=friend)
        member_token = signer.token(friend)  # used again after the restart
        owner_ws = await _member(stack, signer.token(owner), code)
        member_ws = await _member(stack, member_token, code)
        sockets += [owner_ws, member_ws]

        acked = [
            await _say(owner_ws, "welcome, this room keeps its chat"),
            await _say(member_ws, "hi! 👋 <b>not html</b>"),
        ]
        commands = [
            await _command(owner_ws, "sync:source", {"sourceType": "external", "sourceId": VIDEO}),
            await _command(owner_ws, "sync:play"),
            await _command(owner_ws, "sync:seek", {"targetMediaTime": 83_250}),
        ]
        # The playback lines land before the next messages, so the chat interleaves them.
        expected_system = Counter({"join": 1, "source": 1, "play": 1, "seek": 1})
        await _until_system_messages(owner_ws, expected_system)
        acked += [
            await _say(member_ws, "this one will be deleted"),
            await _say(owner_ws, "line one\nline two\twith a tab"),
            await _say(member_ws, "see you after the restart"),
        ]
        doomed = acked[2]
        deleted = await _request(owner_ws, "chat:delete", {"messageId": doomed["id"]})
        assert deleted["type"] == "ack", deleted
        tombstone = deleted["data"]["message"]
        assert (tombstone["id"], tombstone["seq"], tombstone["deleted"]) == (
            doomed["id"],
            doomed["seq"],
            True,
        ), tombstone
        assert tombstone["content"] == "", tombstone

        before = await _until_system_messages(member_ws, expected_system)
        assert before == await _history(owner_ws)
        assert [m["seq"] for m in before] == list(range(1, len(before) + 1))
        by_id = {m["id"]: m for m in before}
        for message in acked:
            stored = by_id[message["id"]]
            if message is doomed:
                assert stored == tombstone
            else:
                assert stored == message, f"stored otherwise than acked: {stored}"
        assert before[-1]["id"] == acked[-1]["id"]  # the last acked message is the newest
        user_authors = [(m["authorUserId"], m["content"]) for m in before if m["kind"] == "user"]
        assert user_authors == [
            (owner.id, "welcome, this room keeps its chat"),
            (friend.id, "hi! 👋 <b>not html</b>"),
            (friend.id, ""),
            (owner.id, "line one\nline two\twith a tab"),
            (friend.id, "see you after the restart"),
        ]
        streams_before, consumers_before = await _until_consumed(stack.urls["nats"])
        assert consumers_before == {
            durable: (streams_before[stream][1], 0) for stream, durable in CONSUMERS
        }, (streams_before, consumers_before)
        lap(f"{len(before)} messages stored ({sum(_system_kinds(before).values())} system)")

        # ---- the whole stack stops: every service, then PostgreSQL, Redis and NATS ----------
        await _close(*sockets)
        sockets.clear()
        pids = _pids(stack)
        await stack.stop()
        await asyncio.sleep(0.2)
        assert [pid for pid in pids if _alive(pid)] == [], "a process outlived stack.stop()"
        lap("whole stack stopped")

        # ---- after: a new stack on the same home -------------------------------------------
        stack = _stack(home)
        await stack.start()
        await wait_ready(stack, within_s=120)
        lap("second stack ready")
        # The auth service kept its key (no new one on a restart), so tokens signed before still
        # verify and new ones are signed with the same key.
        assert sorted(p.name for p in keys.glob("*.pem")) == key_files
        streams_after, consumers_after = await _jetstream(stack.urls["nats"])
        assert streams_after == streams_before, "JetStream lost messages over the restart"
        assert consumers_after == consumers_before, "a chat consumer lost its place"

        fresh = TokenSigner.from_key_dir(SystemClock(), keys)
        assert fresh.kid == signer.kid
        owner_ws = await _member(stack, fresh.token(owner), code)
        sockets.append(owner_ws)
        history = (await owner_ws.next("chat:history", within=ANSWER_S))["data"]
        assert history["hasMore"] is False
        assert history["messages"] == before, "the chat reads otherwise after the restart"
        assert await _history(owner_ws) == before
        snapshot = (await owner_ws.next("sync:state_snapshot", within=ANSWER_S))["data"]["state"]
        assert snapshot["sourceId"] == VIDEO
        assert snapshot["sequenceNumber"] >= commands[-1]

        # The member, with the token from before the restart, rejoins after the last message.
        member_ws = await _member(stack, member_token, code, last_message_id=acked[-1]["id"])
        sockets.append(member_ws)
        catchup = await member_ws.next("chat:catchup", "chat:history", within=ANSWER_S)
        assert catchup["type"] == "chat:catchup", catchup
        assert catchup["data"] == {"messages": [], "complete": True}

        # A resend of a message from before the restart is recognised, not stored again.
        again = await _request(
            member_ws,
            "chat:message",
            {"content": acked[-1]["content"], "clientMessageId": acked[-1]["clientMessageId"]},
        )
        assert again["type"] == "ack", again
        assert (again["data"]["duplicate"], again["data"]["message"]) == (True, acked[-1])

        after = await _say(member_ws, "back again")
        assert after["seq"] == before[-1]["seq"] + 1, after
        assert after["id"] > before[-1]["id"], "ids no longer sort in seq order"
        # Live to the owner too, after the replay (which chat publishes again, by design).
        live = [(await owner_ws.next("chat:message", within=ANSWER_S))["data"]]
        while live[-1]["id"] != after["id"]:
            live.append((await owner_ws.next("chat:message", within=ANSWER_S))["data"])
        assert live[-1] == after
        assert all(m == acked[-1] for m in live[:-1]), live
        assert await _history(member_ws) == [*before, after]
        lap("history, catch-up and the next seq checked")
        print(
            f"\nchat durability: {len(before)} messages read back identically after a restart"
            f" of the whole stack; the next took seq {after['seq']}\n  " + "\n  ".join(timings)
        )
    finally:
        await _close(*sockets)
        await stack.stop()
        shutil.rmtree(home, ignore_errors=True)
