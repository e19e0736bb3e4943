"""Jepsen-style chat check (issue 6): thousands of sends with unique ids while a gateway replica is
killed and NATS is paused, killed and restarted. Every acknowledged message is stored exactly once
and read back by every member in one order.

The stack runs its own embedded PostgreSQL, Redis and NATS (the nemesis stops NATS, so it must not
be a shared server). Senders are signed-in members on real `/ws` sockets spread over two gateway
replicas; a sender that loses its socket, waits too long for an ack or is told ``unavailable``
reconnects (to any live replica, with ``lastMessageId``) and resends the same ``clientMessageId``
until it is acknowledged. What the members saw live and in catch-ups on the way is checked
against the stored history too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from syncwatch.core.clock import SystemClock
from syncwatch.devstack.infra import EmbeddedNats
from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig, wait_ready
from syncwatch.testing.rooms import create_room, join_room
from syncwatch.testing.tokens import TestUser, TokenSigner
from syncwatch.testing.ws import Frames

pytestmark = pytest.mark.e2e

#: Messages sent in all, spread evenly over the senders.
MESSAGES = 2000
#: The owner and three members: four of the room's five seats, every one of them sending.
SENDERS = 4
GATEWAYS = ("sync-gateway-1", "sync-gateway-2")
#: Longer than the gateway's 5 s call to chat, so a slow answer arrives as an answer.
ACK_TIMEOUT_S = 7.0
#: How often one message is sent before the check gives up on it (and fails).
MAX_ATTEMPTS = 40
#: All sends must be acknowledged within this, nemesis included.
SEND_DEADLINE_S = 120.0
JOIN_TIMEOUT_S = 5.0
#: SIGSTOP to SIGCONT.
NATS_PAUSE_S = 3.0
#: SIGKILL to the restart: longer than JetStream's 5 s publish timeout.
NATS_DOWN_S = 6.0
HISTORY_PAGE = 200
#: Chat refuses a user past 30 messages a minute (spec); this stack lets the senders through.
CHAT_LIMIT_PER_MINUTE = 1_000_000
#: The gateway's per-socket frame limit (30/s by spec) would refuse a sender this fast.
FRAMES_PER_SECOND = 1000

RETRYABLE = {"unavailable", "chat_unavailable"}
SOCKET_ERRORS = (OSError, TimeoutError, ConnectionClosed, InvalidHandshake)


class Refused(Exception):
    """The gateway answered hello or room:join with an error (retried like a lost socket)."""


@dataclass
class Tally:
    """What happened, for the summary and the assertions."""

    started: float = field(default_factory=time.monotonic)
    sends: int = 0
    retries: int = 0
    joins: int = 0
    duplicates: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    #: clientMessageId → (author user id, content) as sent.
    sent: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: clientMessageId → every ack it got: (message id, seq, duplicate).
    acks: dict[str, list[tuple[str, int, bool]]] = field(default_factory=lambda: defaultdict(list))
    #: Seconds from a message's first send to its ack, resends included.
    ack_s: list[float] = field(default_factory=list)
    #: Every chat:message a sender's sockets received live.
    live: list[dict[str, Any]] = field(default_factory=list)
    #: Every catch-up a rejoining sender got: (seq it rejoined after, the messages).
    catchups: list[tuple[int, list[dict[str, Any]]]] = field(default_factory=list)
    nemesis: list[str] = field(default_factory=list)
    #: Readiness reports taken while NATS was paused and while it was gone.
    outage_reports: dict[str, dict[str, Any]] = field(default_factory=dict)

    def event(self, what: str) -> None:
        self.nemesis.append(f"{time.monotonic() - self.started:5.1f}s {what}")


@dataclass
class Sender:
    """One signed-in member, on one socket at a time."""

    name: str
    user: TestUser
    token: str
    home: str
    frames: Frames | None = None
    on: str | None = None
    #: The newest message this member knows, (id, seq): its lastMessageId on a rejoin.
    last: tuple[str, int] | None = None
    #: The seq the current socket rejoined after (None: a first join).
    rejoined_after: int | None = None
    moved_at: float = 0.0


class Check:
    """The room's senders, the nemesis and the final read, on one stack."""

    def __init__(self, stack: DevStack, code: str, tally: Tally) -> None:
        self.stack = stack
        self.code = code
        self.tally = tally

    def alive(self, instance: str) -> bool:
        return self.stack.instances[instance].pid is not None

    async def join(self, token: str, instance: str, last_id: str | None) -> Frames:
        """A socket on ``instance`` past hello and room:join (with ``lastMessageId`` if given)."""
        url = f"ws://127.0.0.1:{self.stack.instances[instance].ws_port}/ws"
        # An unbounded queue, like a browser's: a member that reads late never stalls its socket.
        ws = await connect(url, open_timeout=JOIN_TIMEOUT_S, max_queue=None)
        try:
            frames = Frames(ws)
            hello = await frames.request(
                "hello", {"protocolVersion": "1.0.0", "clientId": uuid.uuid4().hex, "token": token}
            )
            if hello["type"] != "hello":
                raise Refused(str(hello))
            join: dict[str, Any] = {"roomCode": self.code}
            if last_id is not None:
                join["lastMessageId"] = last_id
            answer = await frames.request("room:join", join)
            if answer["type"] != "ack":
                raise Refused(str(answer))
        except BaseException:
            with contextlib.suppress(Exception):
                await ws.close()
            raise
        return frames

    async def connection(self, s: Sender, deadline: float) -> Frames:
        """The sender's socket: on its home replica when that runs, else on any live one."""
        if s.frames is not None:
            return s.frames
        while time.monotonic() < deadline:
            for instance in (s.home, *(g for g in GATEWAYS if g != s.home)):
                if not self.alive(instance):
                    continue
                try:
                    async with asyncio.timeout(JOIN_TIMEOUT_S * 2):
                        frames = await self.join(s.token, instance, s.last[0] if s.last else None)
                except (*SOCKET_ERRORS, Refused) as exc:
                    self.tally.reasons[f"join failed: {type(exc).__name__}"] += 1
                    continue
                s.frames, s.on = frames, instance
                s.rejoined_after = s.last[1] if s.last else None
                self.tally.joins += 1
                return frames
            await asyncio.sleep(0.2)
        raise AssertionError(f"{s.name} found no gateway to join before the deadline")

    def harvest(self, s: Sender) -> None:
        """Keep what the socket received live and in catch-ups; drop the rest of its frames."""
        if s.frames is None:
            return
        for frame in s.frames.seen:
            if frame["type"] == "chat:message":
                self.tally.live.append(frame["data"])
            elif frame["type"] == "chat:catchup" and s.rejoined_after is not None:
                self.tally.catchups.append((s.rejoined_after, frame["data"]["messages"]))
        s.frames.seen.clear()
        s.frames.backlog.clear()

    async def drop(self, s: Sender) -> None:
        self.harvest(s)
        frames, s.frames, s.on = s.frames, None, None
        if frames is not None:
            with contextlib.suppress(Exception):
                await frames.ws.close()

    async def send_all(self, s: Sender, count: int, deadline: float) -> None:
        """Send ``count`` messages in turn, each resent under its own id until acknowledged."""
        for k in range(count):
            cid = f"{s.name}-{k:04d}-{uuid.uuid4().hex[:8]}"
            content = f"{s.name} says #{k}"
            self.tally.sent[cid] = (s.user.id, content)
            await self.send_one(s, cid, content, deadline)
            # Back home once the home replica runs again (trying at most once a second).
            now = time.monotonic()
            if s.on != s.home and self.alive(s.home) and now - s.moved_at > 1.0:
                s.moved_at = now
                await self.drop(s)

    async def send_one(self, s: Sender, cid: str, content: str, deadline: float) -> None:
        first = time.monotonic()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if time.monotonic() > deadline:
                raise AssertionError(f"{cid} not acknowledged before the deadline")
            if attempt > 1:
                self.tally.retries += 1
            try:
                frames = await self.connection(s, deadline)
                self.tally.sends += 1
                rid = await frames.send(
                    "chat:message", {"content": content, "clientMessageId": cid}
                )
                answer = await frames.answer(rid, within=ACK_TIMEOUT_S)
            except SOCKET_ERRORS as exc:
                self.tally.reasons[f"lost: {type(exc).__name__}"] += 1
                await self.drop(s)
                continue
            self.harvest(s)
            if answer["type"] == "ack":
                message = answer["data"]["message"]
                assert (message["clientMessageId"], message["content"]) == (cid, content), answer
                duplicate = bool(answer["data"]["duplicate"])
                self.tally.acks[cid].append((message["id"], message["seq"], duplicate))
                self.tally.duplicates += duplicate
                self.tally.ack_s.append(time.monotonic() - first)
                if s.last is None or message["seq"] > s.last[1]:
                    s.last = (message["id"], message["seq"])
                return
            code = answer["data"].get("code")
            self.tally.reasons[f"room:error {code}"] += 1
            if code in RETRYABLE:
                await self.drop(s)
                await asyncio.sleep(0.1)
            elif code == "rate_limited":
                await asyncio.sleep(min(float(answer["data"].get("retryAfter") or 1), 2.0))
            else:
                raise AssertionError(f"{cid}: unexpected refusal {answer}")
        raise AssertionError(f"{cid} not acknowledged after {MAX_ATTEMPTS} attempts")

    def acked(self) -> int:
        return len(self.tally.acks)

    async def until_acked(self, share: float, within: float) -> None:
        """Wait until ``share`` of all messages are acknowledged (or ``within`` seconds)."""
        end = time.monotonic() + within
        while self.acked() < share * MESSAGES and time.monotonic() < end:
            await asyncio.sleep(0.05)

    async def nemesis(self) -> None:
        """Gateway 2 killed and started again, NATS paused, NATS killed and started again, each
        once the senders are a step further (bounded in time)."""
        nats = self.stack.infra["nats"]
        assert isinstance(nats, EmbeddedNats)
        t = self.tally

        await self.until_acked(0.10, within=20)
        await self.stack.kill_instance("sync-gateway-2")
        t.event(f"SIGKILL sync-gateway-2 at {self.acked()} acks")

        await self.until_acked(0.25, within=20)
        await self.stack.start_instance("sync-gateway-2")
        t.event(f"sync-gateway-2 started again at {self.acked()} acks")

        await self.until_acked(0.40, within=20)
        pid = nats.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)
        paused = time.monotonic()
        t.event(f"SIGSTOP nats at {self.acked()} acks")
        try:
            _, t.outage_reports["paused"] = await self.stack.readiness()
            await asyncio.sleep(max(0.0, NATS_PAUSE_S - (time.monotonic() - paused)))
        finally:
            os.kill(pid, signal.SIGCONT)
        t.event(f"SIGCONT nats after {time.monotonic() - paused:.1f}s, at {self.acked()} acks")

        await self.until_acked(0.60, within=30)
        os.kill(pid, signal.SIGKILL)
        await nats.stop()  # reaps it
        down = time.monotonic()
        t.event(f"SIGKILL nats at {self.acked()} acks")
        try:
            _, t.outage_reports["down"] = await self.stack.readiness()
            await asyncio.sleep(max(0.0, NATS_DOWN_S - (time.monotonic() - down)))
        finally:
            await nats.start()  # the same port and JetStream store
        t.event(f"nats started again after {time.monotonic() - down:.1f}s, at {self.acked()} acks")
        await wait_ready(self.stack, within_s=60)
        t.event(f"everything ready again at {self.acked()} acks")

    async def read_history(self, s: Sender, instance: str) -> list[dict[str, Any]]:
        """The room's whole history as one member reads it on a fresh socket, oldest first."""
        frames = await self.join(s.token, instance, None)
        try:
            latest = (await frames.next("chat:history", within=10))["data"]
            messages: list[dict[str, Any]] = latest["messages"]
            more = latest["hasMore"]
            for _ in range(MESSAGES // HISTORY_PAGE + 10):
                if not more:
                    break
                page = await frames.request(
                    "chat:history_request", {"beforeId": messages[0]["id"], "limit": HISTORY_PAGE}
                )
                assert page["type"] == "chat:history", page
                messages = page["data"]["messages"] + messages
                more = page["data"]["hasMore"]
            assert not more, f"{s.name}: the history is longer than expected"
            return messages
        finally:
            await frames.ws.close()


async def _room_with_members(
    stack: DevStack, signer: TokenSigner
) -> tuple[str, list[tuple[str, TestUser]]]:
    room_url = stack.instances["room"].http_url
    owner = TestUser.new()
    code = await create_room(room_url, signer, owner)
    people = [("owner", owner)]
    for i in range(1, SENDERS):
        user = TestUser.new()
        await join_room(room_url, code, signer=signer, user=user)
        people.append((f"member{i}", user))
    return code, people


def _assert_nats_shown_down(reports: dict[str, dict[str, Any]]) -> None:
    """Readiness named NATS down while it was paused and while it was gone."""
    paused, down = reports["paused"], reports["down"]
    assert paused["dependencies"]["nats"]["status"] == "down", paused["dependencies"]
    assert paused["services"]["chat"]["status"] == "down", paused["services"]["chat"]
    assert down["dependencies"]["nats"]["status"] == "down", down["dependencies"]
    chat = down["services"]["chat"]["instances"]["chat"]
    assert chat["checks"]["nats"]["status"] == "down", chat
    for gateway in GATEWAYS:
        replica = down["services"]["sync-gateway"]["instances"][gateway]
        assert replica["status"] == "down", replica


def _assert_consistent(
    tally: Tally, histories: list[list[dict[str, Any]]], names: list[str]
) -> None:
    reference = histories[0]
    for name, history in zip(names, histories, strict=True):
        assert [m["id"] for m in history] == [m["id"] for m in reference], name
        assert history == reference, f"{name} reads another history"

    seqs = [m["seq"] for m in reference]
    assert seqs == list(range(1, len(reference) + 1)), "seq is not 1..N without gaps"
    ids = [m["id"] for m in reference]
    assert len(set(ids)) == len(ids), "a message appears twice"
    assert ids == sorted(ids), "ids do not sort in seq order"

    users = [m for m in reference if m["kind"] == "user"]
    stored = {m["clientMessageId"]: m for m in users}
    assert len(stored) == len(users), "a clientMessageId is stored twice"
    assert set(tally.acks) == set(tally.sent), "a message was never acknowledged"
    assert set(stored) == set(tally.acks), (
        f"acked, not stored: {sorted(set(tally.acks) - set(stored))[:5]}; "
        f"stored, never acked: {sorted(set(stored) - set(tally.acks))[:5]}"
    )
    for cid, acks in tally.acks.items():
        message = stored[cid]
        # Every ack of one clientMessageId named the one stored message.
        assert {(i, q) for i, q, _ in acks} == {(message["id"], message["seq"])}, (
            f"{cid}: acked as {acks}, stored as {message['id']} seq {message['seq']}"
        )
        assert (message["authorUserId"], message["content"]) == tally.sent[cid], cid

    # What members saw on the way is the stored history too: live (by id), and each catch-up
    # exactly the messages after the one the member rejoined with.
    by_id = {m["id"]: m for m in reference}
    for seen in tally.live:
        assert by_id.get(seen["id"]) == seen, f"seen live, stored otherwise: {seen}"
    for after, messages in tally.catchups:
        assert messages == reference[after : after + len(messages)], f"catch-up after seq {after}"


async def test_every_acked_chat_message_is_stored_once_and_read_in_one_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHAT_MESSAGES_PER_USER_PER_MINUTE", str(CHAT_LIMIT_PER_MINUTE))
    monkeypatch.setenv("SYNC_GATEWAY_FRAMES_PER_SECOND", str(FRAMES_PER_SECOND))
    monkeypatch.setenv("SYNC_GATEWAY_FRAME_BURST", str(FRAMES_PER_SECOND * 2))
    home = Path(tempfile.mkdtemp(prefix="syncwatch-jepsen-"))
    home.chmod(0o755)
    config = StackConfig(
        home=home, port=free_port(), gateway_replicas=len(GATEWAYS), restart_crashed=False
    )
    stack = DevStack(config)
    assert set(stack.infra) == {"postgres", "redis", "nats"}  # its own servers, NATS included
    tally = Tally()
    tasks: list[asyncio.Task[None]] = []
    passed = False
    await stack.start()
    try:
        await wait_ready(stack, within_s=120)
        tally.event("stack ready")
        signer = TokenSigner.from_key_dir(SystemClock(), home / "auth" / "keys")
        code, people = await _room_with_members(stack, signer)
        senders = [
            Sender(name, user, signer.token(user), GATEWAYS[i % len(GATEWAYS)])
            for i, (name, user) in enumerate(people)
        ]
        check = Check(stack, code, tally)
        deadline = time.monotonic() + SEND_DEADLINE_S
        for s in senders:
            await check.connection(s, deadline)
        assert {s.on for s in senders} == set(GATEWAYS)

        sending = time.monotonic()
        tally.event("sending")
        tasks = [
            asyncio.create_task(check.send_all(s, MESSAGES // SENDERS, deadline), name=s.name)
            for s in senders
        ]
        tasks.append(asyncio.create_task(check.nemesis(), name="nemesis"))
        await asyncio.gather(*tasks)
        send_s = time.monotonic() - sending
        tally.event("all acknowledged")
        for s in senders:
            await check.drop(s)
        _assert_nats_shown_down(tally.outage_reports)

        # Every member reads the whole history afresh, across both replicas.
        histories = await asyncio.gather(
            *(check.read_history(s, GATEWAYS[(i + 1) % 2]) for i, s in enumerate(senders))
        )
        tally.event("history read by every member")
        _assert_consistent(tally, histories, [s.name for s in senders])

        reference, ack_s = histories[0], sorted(tally.ack_s)
        users = sum(m["kind"] == "user" for m in reference)
        print(
            f"\nchat jepsen: {MESSAGES} messages from {SENDERS} senders over {len(GATEWAYS)}"
            f" gateway replicas, all acknowledged in {send_s:.1f}s"
            f" (whole test {time.monotonic() - tally.started:.1f}s)\n"
            f"  sends {tally.sends}, acks {sum(len(a) for a in tally.acks.values())}"
            f" ({tally.duplicates} duplicate), retries {tally.retries}, joins {tally.joins}\n"
            f"  first send to ack: median {ack_s[len(ack_s) // 2] * 1000:.0f} ms,"
            f" p99 {ack_s[int(len(ack_s) * 0.99)] * 1000:.0f} ms, max {ack_s[-1]:.1f}s\n"
            f"  stored {len(reference)} ({users} user, {len(reference) - users} system),"
            f" seq 1..{len(reference)}, read identically by {len(histories)} members;"
            f" {len(tally.live)} live deliveries and {len(tally.catchups)} catch-ups agree\n"
            f"  why resent: {dict(tally.reasons)}\n"
            "  nemesis:\n    " + "\n    ".join(tally.nemesis)
        )
        passed = True
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await stack.stop()
        if passed:
            shutil.rmtree(home, ignore_errors=True)
        else:
            print(f"\nthe stack's logs are kept in {home / 'logs'}")
