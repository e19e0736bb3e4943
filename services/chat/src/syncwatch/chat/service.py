"""Wiring of the chat service: settings, dependencies, gRPC servicer and the room-events consumer.

Owns chat messages (durable), history and chat rate limits. Speaks gRPC
`syncwatch.chat.v1.ChatService` (docs/api/chat.md); publishes `CHAT_EVENTS` and live
`syncwatch.live.room.<roomId>.chat`; consumes `ROOM_EVENTS` (participants) into system messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec

from syncwatch.chat.adapters.events import ChatEvents
from syncwatch.chat.adapters.grpc import SERVICE_NAME, ChatServicer, registration
from syncwatch.chat.adapters.postgres import MessageStore
from syncwatch.chat.adapters.room_events import RoomEventsConsumer
from syncwatch.chat.adapters.sync_events import SyncEventsConsumer
from syncwatch.chat.domain.messages import MAX_CONTENT_CHARS
from syncwatch.chat.messages import ChatPolicy, ChatService
from syncwatch.core.bus import EventBus, NatsDependency, Stream
from syncwatch.core.clock import Clock, SystemClock
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.ratelimit import RateLimiter
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import (
    DatabaseUrl,
    NatsUrl,
    RedisUrl,
    ServiceDefinition,
    ServiceSettings,
)

ENV_PREFIX = "CHAT_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the chat service, from ``CHAT_*`` variables."""

    database_url: DatabaseUrl
    redis_url: RedisUrl
    nats_url: NatsUrl
    max_message_chars: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            le=10_000,
            description="Longest chat message, in characters after trimming (spec: 2000).",
        ),
    ] = MAX_CONTENT_CHARS
    messages_per_user_per_minute: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            description="Chat messages one user may post per minute, across rooms (spec §7.6).",
        ),
    ] = 30


def build(settings: Settings, *, clock: Clock | None = None) -> ServiceDefinition:
    """The chat service as the runtime runs it. ``clock`` exists for tests (a clock they move)."""
    clock = clock or SystemClock()
    postgres = PostgresDependency(
        settings.database_url,
        schema="chat",
        migrations_dir=MIGRATIONS,
        application_name="syncwatch-chat",
    )
    redis = RedisDependency(settings.redis_url, [RedisDb.RATE_LIMITS])
    # ROOM_EVENTS and SYNC_EVENTS are declared too: the consumers need their streams even when
    # the room service or the gateway has not started.
    nats = NatsDependency(
        settings.nats_url,
        client_name="syncwatch-chat",
        streams=[Stream.CHAT_EVENTS, Stream.ROOM_EVENTS, Stream.SYNC_EVENTS],
    )
    bus = EventBus(nats)
    chat = ChatService(
        store=MessageStore(postgres),
        limiter=RateLimiter(redis, clock),
        events=ChatEvents(bus),
        clock=clock,
        policy=ChatPolicy(
            max_content_chars=settings.max_message_chars,
            messages_per_user_per_minute=settings.messages_per_user_per_minute,
        ),
    )
    return ServiceDefinition(
        name="chat",
        settings=settings,
        dependencies=[
            postgres,
            redis,
            nats,
            RoomEventsConsumer(bus, chat, postgres),
            SyncEventsConsumer(bus, chat, postgres),
        ],
        grpc_registrations=[registration(ChatServicer(chat))],
        grpc_service_names=[SERVICE_NAME],
        extra={"chat": chat, "clock": clock, "postgres": postgres},
    )
