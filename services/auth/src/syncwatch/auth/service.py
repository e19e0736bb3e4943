"""Wiring of the auth service: settings, dependencies, routes and gRPC servicers.

Owns users, credentials, refresh-token families, friendships and the audit log store. Speaks HTTP `/api/auth/*`, `/api/friends/*`; gRPC `syncwatch.auth.v1.AuthService`.
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

ENV_PREFIX = "AUTH_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the auth service, from ``AUTH_*`` variables."""

    database_url: DatabaseUrl
    redis_url: RedisUrl
    nats_url: NatsUrl


def build(settings: Settings) -> ServiceDefinition:
    """The auth service as the runtime runs it."""
    dependencies = [
        PostgresDependency(
            settings.database_url,
            schema="auth",
            migrations_dir=MIGRATIONS,
            application_name="syncwatch-auth",
        ),
        RedisDependency(settings.redis_url, [RedisDb.SESSIONS, RedisDb.RATE_LIMITS]),
        NatsDependency(settings.nats_url, client_name="syncwatch-auth", streams=[Stream.AUDIT]),
    ]
    return ServiceDefinition(name="auth", settings=settings, dependencies=dependencies)
