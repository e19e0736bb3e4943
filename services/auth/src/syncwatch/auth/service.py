"""Wiring of the auth service: settings, dependencies, routes and gRPC servicers.

Owns users, credentials, refresh-token families, friendships and the audit log store. Speaks HTTP `/api/auth/*`, `/api/friends/*`; gRPC `syncwatch.auth.v1.AuthService`.
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

ENV_PREFIX = "AUTH_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the auth service, from ``AUTH_*`` variables."""

    database_url: Annotated[
        str,
        msgspec.Meta(description="PostgreSQL DSN; the service keeps its tables in its own schema."),
    ]
    redis_url: Annotated[
        str,
        msgspec.Meta(
            description="Redis URL (without a database number: the service uses db4, db2)."
        ),
    ]
    nats_url: Annotated[str, msgspec.Meta(description="NATS URL; JetStream must be enabled.")]


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
