"""Wiring of the auth service: settings, dependencies, routes and gRPC servicers.

Owns users, credentials, refresh-token families (sessions), friendships and the audit log store.
Speaks HTTP `/api/auth/*`, `/api/friends/*`; gRPC `syncwatch.auth.v1.AuthService`; publishes
`AUTH_EVENTS` and `AUDIT`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Router
from litestar.di import Provide
from litestar.exceptions import ValidationException

from syncwatch.auth.accounts import AccountService, SessionPolicy
from syncwatch.auth.adapters.events import AuditStoreConsumer, SessionEvents
from syncwatch.auth.adapters.grpc import SERVICE_NAME, AuthServicer, registration
from syncwatch.auth.adapters.http.common import on_validation_error
from syncwatch.auth.adapters.http.friends import FriendsController
from syncwatch.auth.adapters.http.sessions import SessionController
from syncwatch.auth.adapters.keystore import SigningKeyStore
from syncwatch.auth.adapters.postgres import AccountStore, AuditLogStore, FriendStore
from syncwatch.auth.adapters.redis import Presence
from syncwatch.auth.domain.passwords import Argon2Params, PasswordHasher, common_passwords
from syncwatch.auth.friends import FriendService
from syncwatch.core.audit import AuditPublisher
from syncwatch.core.bus import EventBus, NatsDependency, Stream
from syncwatch.core.clock import Clock, SystemClock
from syncwatch.core.postgres import PostgresDependency
from syncwatch.core.ratelimit import BackoffPolicy, FailureBackoff, RateLimiter, limit_by_client_ip
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import (
    DatabaseUrl,
    NatsUrl,
    RedisUrl,
    ServiceDefinition,
    ServiceSettings,
)
from syncwatch.core.tokens import RevocationStore, TokenVerifier, require_user

ENV_PREFIX = "AUTH_"
MIGRATIONS = Path(__file__).parent / "migrations"
DAY_S = 86_400


class Settings(ServiceSettings, kw_only=True):
    """Settings of the auth service, from ``AUTH_*`` variables."""

    database_url: DatabaseUrl
    redis_url: RedisUrl
    nats_url: NatsUrl
    signing_key_dir: Annotated[
        str,
        msgspec.Meta(
            description="Directory of the access-token signing keys (Ed25519 PEM files, mode 0600), "
            "created with a first key when empty. It must survive restarts: a volume or a mounted "
            "secret in a cluster (read-only: no automatic rotation), `$SYNCWATCH_HOME/auth/keys` "
            "in the embedded stack."
        ),
    ]
    key_rotation_days: Annotated[
        float,
        msgspec.Meta(
            gt=0,
            description="A new signing key is made when the newest is this old; the previous one "
            "stays published until its last tokens have expired.",
        ),
    ] = 30.0
    access_token_ttl_s: Annotated[
        int, msgspec.Meta(ge=60, le=3600, description="Lifetime of an access token (JWT).")
    ] = 900
    refresh_token_ttl_days: Annotated[
        float,
        msgspec.Meta(
            gt=0, le=30, description="A session ends this long after sign-in, however it is used."
        ),
    ] = 7.0
    refresh_grace_s: Annotated[
        float,
        msgspec.Meta(
            ge=0,
            le=10,
            description="Seconds a just-rotated refresh token still gets its successor (two tabs "
            "refreshing at once); later reuse revokes the session.",
        ),
    ] = 10.0
    argon2_memory_kib: Annotated[
        int,
        msgspec.Meta(description="argon2id memory (KiB); with the time cost, at least OWASP's."),
    ] = Argon2Params.OWASP.memory_kib
    argon2_time_cost: Annotated[int, msgspec.Meta(ge=1, description="argon2id iterations.")] = (
        Argon2Params.OWASP.time_cost
    )
    argon2_parallelism: Annotated[int, msgspec.Meta(ge=1, description="argon2id lanes.")] = (
        Argon2Params.OWASP.parallelism
    )
    login_limit_per_ip_per_minute: Annotated[
        int, msgspec.Meta(ge=1, description="Sign-in attempts per client IP per minute.")
    ] = 20
    register_limit_per_ip_per_hour: Annotated[
        int, msgspec.Meta(ge=1, description="Accounts created per client IP per hour.")
    ] = 10
    api_limit_per_ip_per_minute: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            description="Requests to /api/auth and /api/friends per client IP per minute (spec §7.6).",
        ),
    ] = 100
    login_failures_per_hour: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            description="Failed sign-ins per account per hour, whatever the IPs (after 5 in a row "
            "each attempt also waits 1 s, doubling up to 15 min).",
        ),
    ] = 100

    def __post_init__(self) -> None:
        if not self.argon2_params.meets_owasp():
            raise ValueError(
                "AUTH_ARGON2_MEMORY_KIB x AUTH_ARGON2_TIME_COST is below OWASP's minimum "
                "(e.g. 19456 KiB x 2 or 47104 KiB x 1)"
            )

    @property
    def argon2_params(self) -> Argon2Params:
        """The configured argon2id parameters."""
        return Argon2Params(
            memory_kib=self.argon2_memory_kib,
            time_cost=self.argon2_time_cost,
            parallelism=self.argon2_parallelism,
        )


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    password_params: Argon2Params | None = None,
) -> ServiceDefinition:
    """The auth service as the runtime runs it.

    ``clock`` and ``password_params`` exist for tests only (a clock they move; cheaper argon2 than
    any environment variable can ask for).
    """
    clock = clock or SystemClock()
    common_passwords()  # load the refusal list (~0.3 s) now, not in the first request's event loop
    postgres = PostgresDependency(
        settings.database_url,
        schema="auth",
        migrations_dir=MIGRATIONS,
        application_name="syncwatch-auth",
    )
    redis = RedisDependency(
        settings.redis_url, [RedisDb.SESSIONS, RedisDb.RATE_LIMITS, RedisDb.LIVE]
    )
    nats = NatsDependency(
        settings.nats_url,
        client_name="syncwatch-auth",
        streams=[Stream.AUDIT, Stream.AUTH_EVENTS],
    )
    keys = SigningKeyStore(
        Path(settings.signing_key_dir),
        clock,
        rotation_s=settings.key_rotation_days * DAY_S,
        token_ttl_s=settings.access_token_ttl_s,
    )
    bus = EventBus(nats)
    revocations = RevocationStore(redis)
    verifier = TokenVerifier(keys, clock, revocations)
    limiter = RateLimiter(redis, clock)
    policy = SessionPolicy(
        access_ttl_s=settings.access_token_ttl_s,
        refresh_ttl_s=int(settings.refresh_token_ttl_days * DAY_S),
        refresh_grace_s=settings.refresh_grace_s,
        login_per_ip_per_minute=settings.login_limit_per_ip_per_minute,
        register_per_ip_per_hour=settings.register_limit_per_ip_per_hour,
        failures_per_hour=settings.login_failures_per_hour,
    )
    accounts = AccountService(
        store=AccountStore(postgres),
        hasher=PasswordHasher(password_params or settings.argon2_params),
        keys=keys,
        verifier=verifier,
        revocations=revocations,
        limiter=limiter,
        backoff=FailureBackoff(redis, clock, BackoffPolicy()),
        audit=AuditPublisher(bus, clock),
        events=SessionEvents(bus, clock),
        clock=clock,
        policy=policy,
    )
    presence = Presence(redis, clock)
    friend_store = FriendStore(postgres)
    friends = FriendService(friend_store, presence, clock)
    servicer = AuthServicer(
        verifier=verifier, accounts=accounts.store, friends=friend_store, keys=keys
    )
    api = Router(
        path="/",
        route_handlers=[SessionController, FriendsController],
        dependencies={
            "accounts": Provide(lambda: accounts, sync_to_thread=False, use_cache=True),
            "friends": Provide(lambda: friends, sync_to_thread=False, use_cache=True),
            "current_user": require_user(
                verifier, on_authenticated=lambda claims: presence.touch(claims.user_id)
            ),
        },
        before_request=limit_by_client_ip(
            limiter, scope="api", limit=settings.api_limit_per_ip_per_minute, window_s=60
        ),
        exception_handlers={ValidationException: on_validation_error},
    )
    return ServiceDefinition(
        name="auth",
        settings=settings,
        dependencies=[
            postgres,
            redis,
            nats,
            keys,
            AuditStoreConsumer(bus, AuditLogStore(postgres), postgres),
        ],
        route_handlers=[api],
        grpc_registrations=[registration(servicer)],
        grpc_service_names=[SERVICE_NAME],
        openapi_path="/api/auth/openapi",
        extra={
            "accounts": accounts,
            "friends": friends,
            "verifier": verifier,
            "presence": presence,
            "clock": clock,
        },
    )
