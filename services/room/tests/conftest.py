"""One room service per test run, in-process, on the run's real PostgreSQL, Redis and NATS, beside
the real auth service (started first), which it asks over gRPC whether two users are friends.

Access tokens are signed here with a test Ed25519 key and verified by the service's real
TokenVerifier through a StaticKeySource (the auth service's own tests cover issuing them); tests
about friends register their users in auth and use auth's user ids in these tokens. The clock is a
ManualClock the tests move; argon2 is cheap. Every test uses fresh users and client IPs
(``X-Forwarded-For``, trusted from 127.0.0.1), so tests do not share rate-limit windows.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from syncwatch.auth.service import Settings as AuthSettings
from syncwatch.auth.service import build as build_auth
from syncwatch.core.clock import ManualClock
from syncwatch.core.passwords import Argon2Params
from syncwatch.core.runtime import ServiceDefinition, ServiceRunner
from syncwatch.core.tokens import (
    AUDIENCE,
    ISSUER,
    StaticKeySource,
    VerificationKey,
    jwk_thumbprint,
)
from syncwatch.devstack.ports import free_port
from syncwatch.room.service import Settings, build
from syncwatch.testing.clients import client_from, next_ip
from syncwatch.testing.plugin import Infra
from syncwatch.testing.services import local_settings, until_ready

CHEAP_ARGON2 = Argon2Params(memory_kib=256, time_cost=1, parallelism=1)


@dataclass(frozen=True)
class User:
    """A signed-in test user."""

    id: str
    username: str


@dataclass
class AuthServiceUnderTest:
    """The real auth service: users register and befriend over its HTTP API."""

    runner: ServiceRunner
    settings: AuthSettings
    #: Each registered user's auth access token (auth's own, for its friends API).
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    @property
    def grpc_address(self) -> str:
        return f"127.0.0.1:{self.settings.grpc_port}"

    async def register(self) -> User:
        """A new user of auth (from an address of its own, so registration limits never bite)."""
        username = f"r{uuid.uuid4().hex[:12]}"
        async with client_from(self.base_url) as c:
            resp = await c.post(
                "/api/auth/register",
                json={
                    "email": f"{username}@example.com",
                    "username": username,
                    "password": "correct horse battery staple",
                },
            )
        assert resp.status_code == 201, resp.text
        body = resp.json()
        user = User(id=body["user"]["id"], username=body["user"]["username"])
        self.tokens[user.id] = body["accessToken"]
        return user

    async def befriend(self, a: User, b: User) -> None:
        """``a`` asks, ``b`` accepts: they are friends in auth."""
        async with client_from(self.base_url) as c:
            asked = await c.post(
                "/api/friends/request",
                json={"username": b.username},
                headers={"Authorization": f"Bearer {self.tokens[a.id]}"},
            )
            assert asked.status_code == 201, asked.text
            accepted = await c.post(
                "/api/friends/accept",
                json={"requestId": asked.json()["request"]["id"]},
                headers={"Authorization": f"Bearer {self.tokens[b.id]}"},
            )
            assert accepted.status_code == 200, accepted.text


@dataclass
class RoomServiceUnderTest:
    """The running service and what tests reach into."""

    runner: ServiceRunner
    definition: ServiceDefinition
    settings: Settings
    clock: ManualClock
    private_key: Ed25519PrivateKey
    kid: str

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    @property
    def grpc_address(self) -> str:
        return f"127.0.0.1:{self.settings.grpc_port}"

    @staticmethod
    def new_user() -> User:
        """A fresh user (the room service knows users only by their tokens)."""
        suffix = uuid.uuid4().hex[:10]
        return User(id=f"u_{suffix}", username=f"user{suffix}")

    def token(self, user: User, *, ttl_s: int = 900) -> str:
        """An access token for ``user``, as auth would sign it, valid from the clock's now."""
        now = int(self.clock.now())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": user.id,
            "username": user.username,
            "sid": f"s_{uuid.uuid4().hex}",
            "jti": uuid.uuid4().hex,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
        }
        return jwt.encode(
            claims, self.private_key, algorithm="EdDSA", headers={"kid": self.kid, "typ": "at+jwt"}
        )

    def auth(self, user: User) -> dict[str, str]:
        """The Authorization header for ``user``."""
        return {"Authorization": f"Bearer {self.token(user)}"}

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    next_ip = staticmethod(next_ip)

    def client(self, ip: str | None = None) -> httpx.AsyncClient:
        """A client coming from its own IP address."""
        return client_from(self.base_url, ip)

    async def create_room(
        self, owner: User, *, ip: str | None = None, **body: Any
    ) -> dict[str, Any]:
        """Create a room as ``owner``; returns the answer's ``room``."""
        body = {"maxParticipants": 5, "playbackControl": "owner_only", **body}
        async with self.client(ip) as c:
            resp = await c.post("/api/rooms", json=body, headers=self.auth(owner))
        assert resp.status_code == 201, resp.text
        room: dict[str, Any] = resp.json()["room"]
        return room


@pytest_asyncio.fixture(scope="session")
async def auth_service(infra: Infra, tmp_path_factory) -> AsyncIterator[AuthServiceUnderTest]:
    """The real auth service, ready: room asks it about friendships."""
    settings = local_settings(
        AuthSettings,
        infra,
        signing_key_dir=str(Path(tmp_path_factory.mktemp("auth")) / "keys"),
    )
    runner = ServiceRunner(build_auth(settings, clock=ManualClock(), password_params=CHEAP_ARGON2))
    await runner.start()
    try:
        await until_ready(settings.http_port)
        yield AuthServiceUnderTest(runner, settings)
    finally:
        await runner.stop()


@contextlib.asynccontextmanager
async def _room_service(infra: Infra, auth_grpc_addr: str) -> AsyncIterator[RoomServiceUnderTest]:
    private = Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    jwk = {**jwk, "kid": jwk_thumbprint(jwk), "alg": "EdDSA", "use": "sig"}
    settings = local_settings(
        Settings,
        infra,
        # Friendships are asked here; signing keys are not (they come from the StaticKeySource).
        auth_grpc_addr=auth_grpc_addr,
        guest_token_secret="test-guest-token-secret-" + "x" * 16,
    )
    clock = ManualClock()
    definition = build(
        settings,
        clock=clock,
        key_source=StaticKeySource([VerificationKey.from_jwk(jwk)]),
        password_params=CHEAP_ARGON2,
    )
    runner = ServiceRunner(definition)
    await runner.start()
    try:
        await until_ready(settings.http_port)
        yield RoomServiceUnderTest(runner, definition, settings, clock, private, jwk["kid"])
    finally:
        await runner.stop()


@pytest_asyncio.fixture(scope="session")
async def room_service(
    infra: Infra, auth_service: AuthServiceUnderTest
) -> AsyncIterator[RoomServiceUnderTest]:
    """The room service, ready, asking the real auth service about friendships."""
    async with _room_service(infra, auth_service.grpc_address) as service:
        yield service


@pytest_asyncio.fixture
async def room_service_without_auth(infra: Infra) -> AsyncIterator[RoomServiceUnderTest]:
    """A second room service, on the same stores, whose auth address has nobody listening."""
    async with _room_service(infra, f"127.0.0.1:{free_port()}") as service:
        yield service
