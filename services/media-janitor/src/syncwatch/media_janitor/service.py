"""Wiring of the media-janitor service: settings, dependencies, routes and gRPC servicers.

Owns clean-up: orphaned and expired media, expired rooms, abandoned uploads, audit retention. Speaks scheduled jobs; gRPC and NATS to the owners of what it cleans.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.runtime import ServiceDefinition, ServiceSettings

ENV_PREFIX = "MEDIA_JANITOR_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the media-janitor service, from ``MEDIA_JANITOR_*`` variables."""

    database_url: Annotated[
        str,
        msgspec.Meta(description="PostgreSQL DSN; the service keeps its tables in its own schema."),
    ]
    nats_url: Annotated[str, msgspec.Meta(description="NATS URL; JetStream must be enabled.")]


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
