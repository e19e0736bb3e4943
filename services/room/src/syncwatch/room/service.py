"""Wiring of the room service: settings, dependencies, routes and gRPC servicers.

Owns rooms, invite codes, passwords, members and roles, bans, settings, ownership. Speaks HTTP `/api/rooms/*`; gRPC `syncwatch.room.v1.RoomService`; publishes room events.
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

ENV_PREFIX = "ROOM_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the room service, from ``ROOM_*`` variables."""

    database_url: DatabaseUrl
    redis_url: RedisUrl
    nats_url: NatsUrl


def build(settings: Settings) -> ServiceDefinition:
    """The room service as the runtime runs it."""
    dependencies = [
        PostgresDependency(
            settings.database_url,
            schema="room",
            migrations_dir=MIGRATIONS,
            application_name="syncwatch-room",
        ),
        RedisDependency(settings.redis_url, [RedisDb.RATE_LIMITS]),
        NatsDependency(
            settings.nats_url,
            client_name="syncwatch-room",
            streams=[Stream.ROOM_EVENTS, Stream.AUDIT],
        ),
    ]
    return ServiceDefinition(name="room", settings=settings, dependencies=dependencies)
