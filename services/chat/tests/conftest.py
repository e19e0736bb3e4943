"""One chat service per test run, in-process, on the run's real PostgreSQL, Redis and NATS.

Its clock is a ManualClock the tests move. The gateway is its only caller in the product; here the
tests are, over a real gRPC channel (``create_channel``, typed errors included). Every test uses
fresh room and user ids, so tests share no history and no rate-limit window.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest_asyncio

from syncwatch.chat.messages import ChatService
from syncwatch.chat.service import Settings, build
from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.clock import ManualClock
from syncwatch.core.grpc import create_channel
from syncwatch.core.runtime import ServiceDefinition, ServiceRunner
from syncwatch.proto.chat.v1 import chat_pb2, chat_pb2_grpc
from syncwatch.testing.plugin import Infra
from syncwatch.testing.services import local_settings, until_ready


@dataclass
class ChatServiceUnderTest:
    """The running service and what tests reach into."""

    runner: ServiceRunner
    definition: ServiceDefinition
    settings: Settings
    clock: ManualClock

    @property
    def grpc_address(self) -> str:
        return f"127.0.0.1:{self.settings.grpc_port}"

    @property
    def chat(self) -> ChatService:
        chat = self.definition.extra["chat"]
        assert isinstance(chat, ChatService)
        return chat


def new_room() -> str:
    """A room id as the room service makes them."""
    return f"rm_{uuid.uuid4().hex[:24]}"


def new_user() -> str:
    """A user id as auth makes them."""
    return f"u_{uuid.uuid4().hex[:24]}"


def new_client_id() -> str:
    """A client message id as a browser would choose it."""
    return str(uuid.uuid4())


def chat_settings(infra: Infra) -> Settings:
    """Settings for a service on free ports and the run's stores."""
    return local_settings(Settings, infra)


@contextlib.asynccontextmanager
async def running_chat(
    settings: Settings, *, wait_ready: bool = True
) -> AsyncIterator[ChatServiceUnderTest]:
    """A chat service started on ``settings`` (ready, unless told not to wait), stopped on exit."""
    clock = ManualClock()
    definition = build(settings, clock=clock)
    runner = ServiceRunner(definition)
    await runner.start()
    try:
        if wait_ready:
            await until_ready(settings.http_port)
        yield ChatServiceUnderTest(runner, definition, settings, clock)
    finally:
        await runner.stop()


@pytest_asyncio.fixture(scope="session")
async def chat_service(infra: Infra) -> AsyncIterator[ChatServiceUnderTest]:
    """The chat service, ready."""
    async with running_chat(chat_settings(infra)) as service:
        yield service


@pytest_asyncio.fixture
async def chat(chat_service: ChatServiceUnderTest) -> AsyncIterator[ChatClient]:
    """A client of the session's service over a real gRPC channel."""
    async with chat_client(chat_service.grpc_address) as client:
        yield client


@pytest_asyncio.fixture
async def db(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own to the service's database: it sees only what was committed."""
    conn = await asyncpg.connect(infra.postgres_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest_asyncio.fixture
async def nats(infra: Infra) -> AsyncIterator[NatsDependency]:
    """A NATS client of the tests' own, with the streams chat uses."""
    dep = NatsDependency(
        infra.nats_url,
        client_name="chat-test",
        streams=[Stream.CHAT_EVENTS, Stream.ROOM_EVENTS],
    )
    await dep.connect()
    await dep.setup()
    yield dep
    await dep.close()


@dataclass
class ChatClient:
    """A gRPC client of the service, with short forms of the calls the tests make."""

    stub: chat_pb2_grpc.ChatServiceStub

    new_room = staticmethod(new_room)
    new_user = staticmethod(new_user)
    new_client_id = staticmethod(new_client_id)

    async def post(
        self,
        room_id: str,
        user_id: str,
        content: str = "hello",
        *,
        name: str = "ann",
        client_message_id: str | None = None,
    ) -> chat_pb2.PostMessageResponse:
        """PostMessage, with a fresh client message id unless one is given."""
        response: chat_pb2.PostMessageResponse = await self.stub.PostMessage(
            chat_pb2.PostMessageRequest(
                room_id=room_id,
                author_user_id=user_id,
                author_name=name,
                content=content,
                client_message_id=client_message_id or new_client_id(),
            )
        )
        return response

    async def post_system(
        self,
        room_id: str,
        kind: str,
        *,
        dedup_key: str | None = None,
        actor_name: str = "ann",
        data: dict[str, str] | None = None,
    ) -> chat_pb2.PostSystemMessageResponse:
        """PostSystemMessage, with a fresh dedup key unless one is given."""
        response: chat_pb2.PostSystemMessageResponse = await self.stub.PostSystemMessage(
            chat_pb2.PostSystemMessageRequest(
                room_id=room_id,
                kind=kind,
                actor_name=actor_name,
                data=data or {},
                dedup_key=dedup_key or f"cmd-{uuid.uuid4().hex}",
            )
        )
        return response

    async def history(
        self, room_id: str, *, before_id: str = "", after_id: str = "", limit: int = 0
    ) -> chat_pb2.ListMessagesResponse:
        """ListMessages of a room."""
        response: chat_pb2.ListMessagesResponse = await self.stub.ListMessages(
            chat_pb2.ListMessagesRequest(
                room_id=room_id, before_id=before_id, after_id=after_id, limit=limit
            )
        )
        return response

    async def delete(
        self, room_id: str, message_id: str, actor_user_id: str, *, owner: bool = False
    ) -> chat_pb2.Message:
        """DeleteMessage; answers the tombstone."""
        response: chat_pb2.DeleteMessageResponse = await self.stub.DeleteMessage(
            chat_pb2.DeleteMessageRequest(
                room_id=room_id,
                message_id=message_id,
                actor_user_id=actor_user_id,
                actor_is_owner=owner,
            )
        )
        return response.message


@contextlib.asynccontextmanager
async def chat_client(address: str) -> AsyncIterator[ChatClient]:
    """A ChatClient over a real channel (``create_channel``: typed errors, retries)."""
    async with create_channel(address) as channel:
        yield ChatClient(chat_pb2_grpc.ChatServiceStub(channel))


@dataclass(frozen=True)
class Launcher:
    """Starts more chat services on the run's stores (restarts, a second replica)."""

    infra: Infra
    running = staticmethod(running_chat)
    client = staticmethod(chat_client)

    def settings(self) -> Settings:
        """Settings on fresh ports."""
        return chat_settings(self.infra)


@pytest_asyncio.fixture
async def launcher(infra: Infra) -> Launcher:
    """Start chat services of the test's own."""
    return Launcher(infra)
