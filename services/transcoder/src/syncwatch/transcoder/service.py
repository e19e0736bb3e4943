"""Wiring of the transcoder service: settings, dependencies, routes and gRPC servicers.

Owns videos, upload sessions, transcode jobs and HLS delivery. Speaks HTTP `/api/videos/*`
(docs/api/videos.md), `/media/*`; gRPC `syncwatch.media.v1.MediaService`; JetStream worker on
`TRANSCODE_JOBS`. Today it answers source validation (`POST /api/videos/validate-source`); uploads,
transcoding and delivery arrive with their own issues.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Router
from litestar.di import Provide
from litestar.exceptions import ValidationException

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.clock import Clock, SystemClock
from syncwatch.core.http import on_validation_error
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.ratelimit import RateLimiter, limit_by_client_ip
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import (
    DatabaseUrl,
    NatsUrl,
    RedisUrl,
    ServiceDefinition,
    ServiceSettings,
    SharedSettings,
)
from syncwatch.core.settings import SettingsError, load_settings
from syncwatch.transcoder.adapters.http.sources import SourceController
from syncwatch.transcoder.adapters.source_fetch import Resolve, SourceFetcher, system_resolve
from syncwatch.transcoder.domain.addresses import may_connect
from syncwatch.transcoder.sources import SourceValidator

ENV_PREFIX = "TRANSCODER_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the transcoder service, from ``TRANSCODER_*`` variables."""

    database_url: DatabaseUrl
    redis_url: RedisUrl
    nats_url: NatsUrl
    source_fetch_allow_private: Annotated[
        bool,
        msgspec.Meta(
            description="For development and tests only: let source validation fetch links on "
            "loopback, private and link-local addresses. Leave it false anywhere people can reach "
            "the service, or anyone may make it call the cluster's own services."
        ),
    ] = False
    source_fetch_timeout_s: Annotated[
        float,
        msgspec.Meta(
            gt=0,
            le=30,
            description="Seconds source validation may spend fetching one link, redirects included.",
        ),
    ] = 5.0
    source_validations_per_ip_per_minute: Annotated[
        int,
        msgspec.Meta(ge=1, description="Source validations per client IP per minute."),
    ] = 60


def _app_origins() -> list[str]:
    """The app's own origins (``SYNCWATCH_ALLOWED_ORIGINS``): the frames a page would be shown in."""
    try:
        return load_settings(SharedSettings, "SYNCWATCH_").allowed_origins
    except SettingsError:
        return []


def build(
    settings: Settings, *, clock: Clock | None = None, resolve: Resolve | None = None
) -> ServiceDefinition:
    """The transcoder service as the runtime runs it.

    ``clock`` and ``resolve`` exist for tests only (a clock they move; a resolver for names only the
    test knows).
    """
    clock = clock or SystemClock()
    postgres = PostgresDependency(
        settings.database_url,
        schema="transcoder",
        migrations_dir=MIGRATIONS,
        application_name="syncwatch-transcoder",
    )
    redis = RedisDependency(settings.redis_url, [RedisDb.RATE_LIMITS])
    nats = NatsDependency(
        settings.nats_url,
        client_name="syncwatch-transcoder",
        streams=[Stream.MEDIA_EVENTS, Stream.TRANSCODE_JOBS],
    )
    fetcher = SourceFetcher(
        allow=partial(may_connect, allow_private=settings.source_fetch_allow_private),
        timeout_s=settings.source_fetch_timeout_s,
        resolve=resolve or system_resolve,
    )
    sources = SourceValidator(
        fetcher, timeout_s=settings.source_fetch_timeout_s, origins=_app_origins()
    )
    validation = Router(
        path="/",
        route_handlers=[SourceController],
        dependencies={"sources": Provide(lambda: sources, sync_to_thread=False, use_cache=True)},
        before_request=limit_by_client_ip(
            RateLimiter(redis, clock),
            scope="validate-source",
            limit=settings.source_validations_per_ip_per_minute,
            window_s=60,
        ),
        exception_handlers={ValidationException: on_validation_error},
    )
    return ServiceDefinition(
        name="transcoder",
        settings=settings,
        dependencies=[postgres, redis, nats],
        route_handlers=[validation],
        openapi_path="/api/videos/openapi",
        extra={"sources": sources, "clock": clock},
    )
