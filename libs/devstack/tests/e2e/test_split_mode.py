"""Split mode: the same services against shared servers, several gateway replicas, one killed."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from syncwatch.core.clock import SystemClock
from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig, wait_ready
from syncwatch.testing.rooms import create_room, join_room
from syncwatch.testing.tokens import TestUser, TokenSigner
from syncwatch.testing.ws import Frames

pytestmark = pytest.mark.e2e


async def _gateway_states(stack: DevStack) -> tuple[str, dict[str, str]]:
    _, body = await stack.readiness()
    gateway = body["services"]["sync-gateway"]
    return gateway["status"], {k: v["status"] for k, v in gateway["instances"].items()}


async def test_gateway_replicas_on_shared_servers(infra) -> None:
    home = Path(tempfile.mkdtemp(prefix="syncwatch-split-"))
    config = StackConfig(
        home=home,
        port=free_port(),
        database_url=infra.postgres_url,
        redis_url=infra.redis_url,
        nats_url=infra.nats_url,
        gateway_replicas=2,
        restart_crashed=False,
    )
    stack = DevStack(config)
    assert stack.infra == {}  # nothing embedded: the servers are shared
    await stack.start()
    try:
        body = await wait_ready(stack, within_s=120)
        assert all(d["embedded"] is False for d in body["dependencies"].values())
        assert await _gateway_states(stack) == (
            "up",
            {"sync-gateway-1": "up", "sync-gateway-2": "up"},
        )

        await stack.kill_instance("sync-gateway-2")
        status, instances = await _gateway_states(stack)
        assert (status, instances["sync-gateway-2"]) == ("up", "down")
        ready, _ = await stack.readiness()
        assert ready  # one replica serves the room's members while the other is down

        await stack.start_instance("sync-gateway-2")
        async with asyncio.timeout(60):
            while (await _gateway_states(stack))[1]["sync-gateway-2"] != "up":
                await asyncio.sleep(0.5)
    finally:
        await stack.stop()
        shutil.rmtree(home, ignore_errors=True)


async def test_a_replica_killed_mid_playback_members_resume_in_order(infra) -> None:
    """Members of one room on two gateway processes; one is SIGKILLed while the room plays. Its
    member reconnects to the other with ``lastSequence`` and resumes: every member applies every
    command exactly once, in order, and ends on the same state."""
    home = Path(tempfile.mkdtemp(prefix="syncwatch-split-kill-"))
    home.chmod(0o755)
    config = StackConfig(
        home=home,
        port=free_port(),
        database_url=infra.postgres_url,
        redis_url=infra.redis_url,
        nats_url=infra.nats_url,
        gateway_replicas=2,
        restart_crashed=False,
    )
    stack = DevStack(config)
    await stack.start()
    try:
        await wait_ready(stack, within_s=120)
        signer = TokenSigner.from_key_dir(SystemClock(), home / "auth" / "keys")
        room_url = stack.instances["room"].http_url
        owner = TestUser.new()
        code = await create_room(room_url, signer, owner)
        guests = [
            (await join_room(room_url, code, guest_name=name))["guestToken"]
            for name in ("Ada", "Bo")
        ]

        def ws_url(instance: str) -> str:
            return f"ws://127.0.0.1:{stack.instances[instance].ws_port}/ws"

        async def member(token: str, instance: str, last: int | None = None) -> Frames:
            frames = Frames(await connect(ws_url(instance), open_timeout=10))
            hello = await frames.request(
                "hello", {"protocolVersion": "1.0.0", "clientId": uuid.uuid4().hex, "token": token}
            )
            assert hello["data"]["compatible"], hello
            join: dict[str, object] = {"roomCode": code}
            if last is not None:
                join["lastSequence"] = last
            assert (await frames.request("room:join", join))["type"] == "ack"
            return frames

        owner_ws = await member(signer.token(owner), "sync-gateway-1")
        ada = await member(guests[0], "sync-gateway-1")
        bo = await member(guests[1], "sync-gateway-2")
        applied: dict[str, list[dict[str, object]]] = {"ada": [], "bo": []}

        async def take(frames: Frames, who: str, n: int) -> None:
            for _ in range(n):
                applied[who].append((await frames.next("sync:command", within=10))["data"])

        await owner_ws.request(
            "sync:source", {"sourceType": "external", "sourceId": "https://v.test/a.mp4"}
        )
        await owner_ws.request("sync:play")
        for t in (1000, 2000):
            await owner_ws.request("sync:seek", {"targetMediaTime": t})
        await asyncio.gather(take(ada, "ada", 4), take(bo, "bo", 4))

        await stack.kill_instance("sync-gateway-2")  # SIGKILL: no goodbye
        for t in (3000, 4000):
            assert (await owner_ws.request("sync:seek", {"targetMediaTime": t}))["type"] == "ack"
        await owner_ws.request("sync:pause")
        await take(ada, "ada", 3)

        last = int(applied["bo"][-1]["sequenceNumber"])  # type: ignore[call-overload]
        bo_again = await member(guests[1], "sync-gateway-1", last=last)
        catchup = (await bo_again.next("sync:catchup", within=10))["data"]
        applied["bo"].extend(catchup["commands"])
        assert [c["sequenceNumber"] for c in applied["ada"]] == list(range(1, 8))
        assert [c["sequenceNumber"] for c in applied["bo"]] == list(range(1, 8))
        assert applied["bo"][-1]["state"] == applied["ada"][-1]["state"] == catchup["state"]
        for ws in (owner_ws, ada, bo_again):
            await ws.ws.close()
        with contextlib.suppress(Exception):
            await bo.ws.close()
    finally:
        await stack.stop()
        shutil.rmtree(home, ignore_errors=True)
