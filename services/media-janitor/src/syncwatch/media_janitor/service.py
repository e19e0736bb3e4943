"""Wiring of the media-janitor service: settings, dependencies, routes and gRPC servicers.

Owns clean-up: orphaned and expired media, expired rooms, abandoned uploads, audit retention. Speaks scheduled jobs; gRPC and NATS to the owners of what it cleans.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from pathlib import Path

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.runtime import DatabaseUrl, NatsUrl, ServiceDefinition, ServiceSettings

ENV_PREFIX = "MEDIA_JANITOR_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the media-janitor service, from ``MEDIA_JANITOR_*`` variables."""

    database_url: DatabaseUrl
    nats_url: NatsUrl


def build(settings: Settings) -> ServiceDefinition:
    """The media-janitor service as the runtime runs it."""
    dependencies = [
        PostgresDependency(
            settings.database_url,
            schema="media_janitor",
            migrations_dir=MIGRATIONS,
            application_name="syncwatch-media-janitor",
        ),
        NatsDependency(
            settings.nats_url,
            client_name="syncwatch-media-janitor",
            streams=[Stream.ROOM_EVENTS, Stream.MEDIA_EVENTS],
        ),
    ]
    return ServiceDefinition(name="media-janitor", settings=settings, dependencies=dependencies)
