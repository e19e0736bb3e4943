"""Wiring of the signaling service: settings, dependencies, routes and gRPC servicers.

Owns the voice roster, the WebRTC signal relay and ICE/TURN credential minting. Speaks gRPC `syncwatch.signaling.v1.SignalingService`.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from syncwatch.core.bus import NatsDependency
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import NatsUrl, RedisUrl, ServiceDefinition, ServiceSettings

ENV_PREFIX = "SIGNALING_"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the signaling service, from ``SIGNALING_*`` variables."""

    redis_url: RedisUrl
    nats_url: NatsUrl


def build(settings: Settings) -> ServiceDefinition:
    """The signaling service as the runtime runs it."""
    dependencies = [
        RedisDependency(settings.redis_url, [RedisDb.LIVE]),
        NatsDependency(settings.nats_url, client_name="syncwatch-signaling", streams=[]),
    ]
    return ServiceDefinition(name="signaling", settings=settings, dependencies=dependencies)
