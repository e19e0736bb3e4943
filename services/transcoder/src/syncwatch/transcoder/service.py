"""Wiring of the transcoder service: settings, dependencies, routes and gRPC servicers.

Owns videos, upload sessions, transcode jobs and HLS delivery. Speaks HTTP `/api/videos/*`, `/media/*`; gRPC `syncwatch.media.v1.MediaService`; JetStream worker on `TRANSCODE_JOBS`.
Its features arrive with their own issues; until then it serves health, metrics and gRPC health.
"""

from __future__ import annotations

from pathlib import Path

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.runtime import DatabaseUrl, NatsUrl, ServiceDefinition, ServiceSettings

ENV_PREFIX = "TRANSCODER_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the transcoder service, from ``TRANSCODER_*`` variables."""

    database_url: DatabaseUrl
    nats_url: NatsUrl


def build(settings: Settings) -> ServiceDefinition:
    """The transcoder service as the runtime runs it."""
    dependencies = [
        PostgresDependency(
            settings.database_url,
            schema="transcoder",
            migrations_dir=MIGRATIONS,
            application_name="syncwatch-transcoder",
        ),
        NatsDependency(
            settings.nats_url,
            client_name="syncwatch-transcoder",
            streams=[Stream.MEDIA_EVENTS, Stream.TRANSCODE_JOBS],
        ),
    ]
    return ServiceDefinition(name="transcoder", settings=settings, dependencies=dependencies)
