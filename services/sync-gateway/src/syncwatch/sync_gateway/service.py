"""Wiring of the sync-gateway service: settings, dependencies, routes and gRPC servicers.

Owns the browser WebSocket edge (`/ws`), connections, presence and live playback state. Speaks WebSocket `/ws`; calls room, chat and signaling over gRPC; NATS fan-out between replicas.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import ServiceDefinition, ServiceSettings

ENV_PREFIX = "SYNC_GATEWAY_"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the sync-gateway service, from ``SYNC_GATEWAY_*`` variables."""

    redis_url: Annotated[
        str,
        msgspec.Meta(
            description="Redis URL (without a database number: the service uses db0, db2)."
        ),
    ]
    nats_url: Annotated[str, msgspec.Meta(description="NATS URL; JetStream must be enabled.")]


def build(settings: Settings) -> ServiceDefinition:
    """The sync-gateway service as the runtime runs it."""
    dependencies = [
        RedisDependency(settings.redis_url, [RedisDb.LIVE, RedisDb.RATE_LIMITS]),
        NatsDependency(
            settings.nats_url, client_name="syncwatch-sync-gateway", streams=[Stream.ROOM_EVENTS]
        ),
    ]
    return ServiceDefinition(name="sync-gateway", settings=settings, dependencies=dependencies)
