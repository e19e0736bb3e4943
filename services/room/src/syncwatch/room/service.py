"""Wiring of the room service: settings, dependencies, routes and gRPC servicers.

Owns rooms, invite codes, passwords, members and roles, bans, settings, ownership, invites. Speaks
HTTP `/api/rooms/*` (docs/api/rooms.md); gRPC `syncwatch.room.v1.RoomService`; publishes
`ROOM_EVENTS` and `AUDIT`; asks auth over gRPC for signing keys and friendships.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Router
from litestar.di import Provide
from litestar.exceptions import ValidationException

from syncwatch.core.audit import AuditPublisher
from syncwatch.core.bus import EventBus, NatsDependency, Stream
from syncwatch.core.clock import Clock, SystemClock
from syncwatch.core.http import on_validation_error
from syncwatch.core.passwords import Argon2Params, PasswordHasher
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.ratelimit import RateLimiter
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import (
    DatabaseUrl,
    NatsUrl,
    RedisUrl,
    ServiceDefinition,
    ServiceSettings,
    ShutdownHook,
)
from syncwatch.core.tokens import (
    GrpcKeySource,
    KeySource,
    RevocationStore,
    TokenVerifier,
    require_user,
)
from syncwatch.room.adapters.auth_client import AuthClient
from syncwatch.room.adapters.events import RoomEvents
from syncwatch.room.adapters.grpc import SERVICE_NAME, RoomServicer, registration
from syncwatch.room.adapters.guest_tokens import MIN_SECRET_BYTES, GuestTokens
from syncwatch.room.adapters.http.rooms import RoomController, caller_dependency
from syncwatch.room.adapters.postgres import RoomStore
from syncwatch.room.adapters.redis import FailureGuard
from syncwatch.room.rooms import RoomPolicy, RoomService

ENV_PREFIX = "ROOM_"
MIGRATIONS = Path(__file__).parent / "migrations"


class Settings(ServiceSettings, kw_only=True):
    """Settings of the room service, from ``ROOM_*`` variables."""

    database_url: DatabaseUrl
    redis_url: RedisUrl
    nats_url: NatsUrl
    auth_grpc_addr: Annotated[
        str,
        msgspec.Meta(
            description="host:port of the auth service's gRPC, where access-token signing keys are "
            "fetched and friendships checked for invites (the embedded stack sets it from "
            "AUTH_GRPC_ADDR)."
        ),
    ]
    guest_token_secret: Annotated[
        str,
        msgspec.Meta(
            min_length=MIN_SECRET_BYTES,
            description="HMAC secret (at least 32 characters) signing guest tokens; the same on "
            "every replica, kept across restarts. Give it as ROOM_GUEST_TOKEN_SECRET_FILE in a "
            "cluster; the embedded stack keeps one under `$SYNCWATCH_HOME/room`.",
        ),
    ]
    guest_token_ttl_s: Annotated[
        int,
        msgspec.Meta(ge=60, le=86_400, description="Lifetime of a guest token (renewable)."),
    ] = 3600
    room_ttl_hours: Annotated[
        float,
        msgspec.Meta(
            gt=0, le=168, description="A room ends this long after its last join or change."
        ),
    ] = 24.0
    creations_per_user_per_hour: Annotated[
        int, msgspec.Meta(ge=1, description="Rooms one user may create per hour (spec §7.6).")
    ] = 5


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    key_source: KeySource | None = None,
    password_params: Argon2Params | None = None,
) -> ServiceDefinition:
    """The room service as the runtime runs it.

    ``clock``, ``key_source`` and ``password_params`` exist for tests only (a clock they move; keys
    they sign access tokens with; cheaper argon2).
    """
    clock = clock or SystemClock()
    postgres = PostgresDependency(
        settings.database_url,
        schema="room",
        migrations_dir=MIGRATIONS,
        application_name="syncwatch-room",
    )
    redis = RedisDependency(settings.redis_url, [RedisDb.SESSIONS, RedisDb.RATE_LIMITS])
    nats = NatsDependency(
        settings.nats_url,
        client_name="syncwatch-room",
        streams=[Stream.ROOM_EVENTS, Stream.AUDIT],
    )
    bus = EventBus(nats)
    shutdown: list[ShutdownHook] = []
    keys = key_source
    if keys is None:
        grpc_keys = GrpcKeySource(settings.auth_grpc_addr, clock)
        shutdown.append(grpc_keys.close)
        keys = grpc_keys
    auth = AuthClient(settings.auth_grpc_addr)
    shutdown.append(auth.close)
    verifier = TokenVerifier(keys, clock, RevocationStore(redis))
    guest_tokens = GuestTokens(
        settings.guest_token_secret.encode(), clock, ttl_s=settings.guest_token_ttl_s
    )
    limiter = RateLimiter(redis, clock)
    rooms = RoomService(
        store=RoomStore(postgres),
        hasher=PasswordHasher(password_params or Argon2Params.OWASP),
        guest_tokens=guest_tokens,
        limiter=limiter,
        guard=FailureGuard(redis, limiter, clock),
        events=RoomEvents(bus, AuditPublisher(bus, clock)),
        auth=auth,
        clock=clock,
        policy=RoomPolicy(
            creations_per_user_per_hour=settings.creations_per_user_per_hour,
            room_ttl_s=int(settings.room_ttl_hours * 3600),
        ),
    )
    api = Router(
        path="/",
        route_handlers=[RoomController],
        dependencies={
            "rooms": Provide(lambda: rooms, sync_to_thread=False, use_cache=True),
            "current_user": require_user(verifier),
            "caller": caller_dependency(verifier, guest_tokens),
        },
        exception_handlers={ValidationException: on_validation_error},
    )
    return ServiceDefinition(
        name="room",
        settings=settings,
        dependencies=[postgres, redis, nats],
        route_handlers=[api],
        grpc_registrations=[registration(RoomServicer(rooms))],
        grpc_service_names=[SERVICE_NAME],
        openapi_path="/api/rooms/openapi",
        on_shutdown=shutdown,
        extra={"rooms": rooms, "verifier": verifier, "clock": clock},
    )
