"""Wiring of the chat service: settings, dependencies, routes and gRPC servicers.

Owns chat messages (durable), history and chat rate limits. Speaks gRPC `syncwatch.chat.v1.ChatService`; publishes chat events.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import ServiceDefinition, ServiceSettings

ENV_PREFIX = "CHAT_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the chat service, from ``CHAT_*`` variables."""

    database_url: Annotated[
        str,
        msgspec.Meta(description="PostgreSQL DSN; the service keeps its tables in its own schema."),
    ]
    redis_url: Annotated[
        str,
        msgspec.Meta(description="Redis URL (without a database number: the service uses db2)."),
    ]
    nats_url: Annotated[str, msgspec.Meta(description="NATS URL; JetStream must be enabled.")]


def build(settings: Settings) -> ServiceDefinition:
    """The chat service as the runtime runs it."""
    dependencies = [
        PostgresDependency(
            settings.database_url,
            schema="chat",
            migrations_dir=MIGRATIONS,
            application_name="syncwatch-chat",
        ),
        RedisDependency(settings.redis_url, [RedisDb.RATE_LIMITS]),
        NatsDependency(
            settings.nats_url, client_name="syncwatch-chat", streams=[Stream.CHAT_EVENTS]
        ),
    ]
    return ServiceDefinition(name="chat", settings=settings, dependencies=dependencies)
