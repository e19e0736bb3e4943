"""Wiring of the sync-gateway service: settings, dependencies, routes and gRPC servicers.

Owns the browser WebSocket edge (`/ws`), connections, presence and live playback state. Speaks WebSocket `/ws`; calls room, chat and signaling over gRPC; NATS fan-out between replicas.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import NatsUrl, RedisUrl, ServiceDefinition, ServiceSettings

ENV_PREFIX = "SYNC_GATEWAY_"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the sync-gateway service, from ``SYNC_GATEWAY_*`` variables."""

    redis_url: RedisUrl
    nats_url: NatsUrl


def build(settings: Settings) -> ServiceDefinition:
    """The sync-gateway service as the runtime runs it."""
    dependencies = [
        RedisDependency(settings.redis_url, [RedisDb.LIVE, RedisDb.RATE_LIMITS]),
        NatsDependency(
            settings.nats_url, client_name="syncwatch-sync-gateway", streams=[Stream.ROOM_EVENTS]
        ),
    ]
    return ServiceDefinition(name="sync-gateway", settings=settings, dependencies=dependencies)
