"""A room service and two gateway replicas, in-process, on the run's real PostgreSQL, Redis and NATS.

Access tokens come from a test signer both services trust (``TokenSigner``); guest tokens are the
room service's own. Clocks are real (the protocol is about time); the gateway's owner timeout is
short so handover tests take seconds. Protocol clients are plain ``websockets`` clients.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest_asyncio
from websockets.asyncio.client import ClientConnection, connect

from syncwatch.chat.service import Settings as ChatSettings
from syncwatch.chat.service import build as build_chat
from syncwatch.core.clock import Clock, SystemClock
from syncwatch.core.passwords import Argon2Params
from syncwatch.core.runtime import ServiceRunner
from syncwatch.devstack.ports import free_port
from syncwatch.protocol.v1 import PROTOCOL_VERSION
from syncwatch.room.service import Settings as RoomSettings
from syncwatch.room.service import build as build_room
from syncwatch.sync_gateway.gateway import Policy
from syncwatch.sync_gateway.service import Settings, build
from syncwatch.testing.clients import client_from
from syncwatch.testing.services import local_settings, until_ready
from syncwatch.testing.tokens import TestUser, TokenSigner
from syncwatch.testing.ws import Frames

CHEAP_ARGON2 = Argon2Params(memory_kib=256, time_cost=1, parallelism=1)
#: Short owner timeout so handover tests take seconds; a generous frame rate so floods of test
#: frames are answered one by one (the rate limit has its own gateway in test_limits.py).
TEST_POLICY = Policy(
    owner_timeout_ms=1500,
    tick_s=0.2,
    idle_timeout_s=30.0,
    reclaim_window_ms=5000,
    frames_per_second=5000.0,
    frame_burst=5000,
)


@dataclass
class Stack:
    """The services under test and helpers to drive them."""

    signer: TokenSigner
    room_runner: ServiceRunner
    room_settings: RoomSettings
    chat_runner: ServiceRunner
    chat_settings: ChatSettings
    gateways: list[ServiceRunner]
    gateway_settings: list[Settings]
    _open: list[ClientConnection] = field(default_factory=list)

    @property
    def room_url(self) -> str:
        return f"http://127.0.0.1:{self.room_settings.http_port}"

    def ws_url(self, replica: int = 0) -> str:
        return f"ws://127.0.0.1:{self.gateway_settings[replica].ws_port}/ws"

    def http(self) -> httpx.AsyncClient:
        return client_from(self.room_url)

    async def create_room(self, owner: TestUser, **body: Any) -> dict[str, Any]:
        body = {"maxParticipants": 5, "playbackControl": "owner_only", **body}
        async with self.http() as c:
            resp = await c.post("/api/rooms", json=body, headers=self.signer.auth(owner))
        assert resp.status_code == 201, resp.text
        room: dict[str, Any] = resp.json()["room"]
        return room

    async def join_user(self, code: str, user: TestUser) -> dict[str, Any]:
        async with self.http() as c:
            resp = await c.post(f"/api/rooms/{code}/join", json={}, headers=self.signer.auth(user))
        assert resp.status_code in (200, 201), resp.text
        answer: dict[str, Any] = resp.json()
        return answer

    async def join_guest(self, code: str, name: str = "Kim") -> dict[str, Any]:
        async with self.http() as c:
            resp = await c.post(f"/api/rooms/{code}/join", json={"guestName": name})
        assert resp.status_code in (200, 201), resp.text
        answer: dict[str, Any] = resp.json()
        return answer

    async def raw(self, replica: int = 0, **kwargs: Any) -> ClientConnection:
        ws = await connect(self.ws_url(replica), open_timeout=5, **kwargs)
        self._open.append(ws)
        return ws

    async def client(self, token: str, replica: int = 0) -> Frames:
        """A socket past hello."""
        frames = Frames(await self.raw(replica))
        hello = await frames.request(
            "hello",
            {"protocolVersion": PROTOCOL_VERSION, "clientId": uuid.uuid4().hex, "token": token},
        )
        assert hello["type"] == "hello", hello
        assert hello["data"]["compatible"] is True
        return frames

    async def member(self, token: str, code: str, replica: int = 0, **join: Any) -> Frames:
        """A socket that has joined ``code`` and read its room:state and playback."""
        frames = await self.client(token, replica)
        ack = await frames.request("room:join", {"roomCode": code, **join})
        assert ack["type"] == "ack", ack
        await frames.next("room:state")
        await frames.next("sync:state_snapshot", "sync:catchup")
        return frames

    async def extra_gateway(
        self, infra: Any, *, policy: Policy = TEST_POLICY, clock: Clock | None = None
    ) -> tuple[ServiceRunner, str]:
        """One more replica with its own policy or clock; the caller stops it."""
        settings = gateway_settings(infra, self.room_settings, self.chat_settings)
        runner = await start_gateway(self.signer, settings, policy=policy, clock=clock)
        return runner, f"ws://127.0.0.1:{settings.ws_port}/ws"

    async def client_at(self, url: str, token: str) -> Frames:
        """A socket past hello on the gateway at ``url``."""
        ws = await connect(url, open_timeout=5)
        self._open.append(ws)
        frames = Frames(ws)
        hello = await frames.request(
            "hello",
            {"protocolVersion": PROTOCOL_VERSION, "clientId": uuid.uuid4().hex, "token": token},
        )
        assert hello["data"]["compatible"] is True, hello
        return frames

    async def restart_chat(self) -> None:
        """Stop the chat service and start it again on the same ports and database."""
        await self.chat_runner.stop()
        self.chat_runner = ServiceRunner(build_chat(self.chat_settings, clock=SystemClock()))
        await self.chat_runner.start()
        await until_ready(self.chat_settings.http_port)

    async def restart_gateway(self, replica: int) -> None:
        """Start a stopped replica again on its ports."""
        self.gateways[replica] = await start_gateway(self.signer, self.gateway_settings[replica])

    async def close_all(self) -> None:
        for ws in self._open:
            with contextlib.suppress(Exception):
                await ws.close()
        self._open.clear()


def gateway_settings(infra, room: RoomSettings, chat: ChatSettings) -> Settings:
    return local_settings(
        Settings,
        infra,
        ws_host="127.0.0.1",
        ws_port=free_port(),
        room_grpc_addr=f"127.0.0.1:{room.grpc_port}",
        chat_grpc_addr=f"127.0.0.1:{chat.grpc_port}",
        auth_grpc_addr="127.0.0.1:1",  # unused: keys come from the signer
    )


async def start_gateway(
    stack_signer: TokenSigner,
    settings: Settings,
    *,
    policy: Policy = TEST_POLICY,
    clock: Clock | None = None,
) -> ServiceRunner:
    runner = ServiceRunner(
        build(settings, key_source=stack_signer.key_source(), policy=policy, clock=clock)
    )
    await runner.start()
    await until_ready(settings.http_port)
    return runner


@pytest_asyncio.fixture(scope="session")
async def stack_services(infra) -> AsyncIterator[Stack]:
    clock = SystemClock()
    signer = TokenSigner(clock)
    room_settings = local_settings(
        RoomSettings,
        infra,
        auth_grpc_addr="127.0.0.1:1",
        guest_token_secret="gateway-test-guest-secret-" + "y" * 16,
    )
    room_runner = ServiceRunner(
        build_room(
            room_settings, clock=clock, key_source=signer.key_source(), password_params=CHEAP_ARGON2
        )
    )
    await room_runner.start()
    await until_ready(room_settings.http_port)
    chat_settings = local_settings(ChatSettings, infra)
    chat_runner = ServiceRunner(build_chat(chat_settings, clock=clock))
    await chat_runner.start()
    await until_ready(chat_settings.http_port)
    settings = [gateway_settings(infra, room_settings, chat_settings) for _ in range(2)]
    gateways = [await start_gateway(signer, s) for s in settings]
    stack = Stack(
        signer, room_runner, room_settings, chat_runner, chat_settings, gateways, settings
    )
    try:
        yield stack
    finally:
        await stack.close_all()
        for g in stack.gateways:
            await g.stop()
        await stack.chat_runner.stop()
        await room_runner.stop()


@pytest_asyncio.fixture
async def stack(stack_services: Stack) -> AsyncIterator[Stack]:
    yield stack_services
    await stack_services.close_all()
