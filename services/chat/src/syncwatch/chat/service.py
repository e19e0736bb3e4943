"""Wiring of the chat service: settings, dependencies, routes and gRPC servicers.

Owns chat messages (durable), history and chat rate limits. Speaks gRPC `syncwatch.chat.v1.ChatService`; publishes chat events.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from pathlib import Path

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.postgres import PostgresDependency
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
