"""One room service per test run, in-process, on the run's real PostgreSQL, Redis and NATS.

Access tokens are signed here with a test Ed25519 key and verified by the service's real
TokenVerifier through a StaticKeySource (the auth service's own tests cover issuing them). The clock
is a ManualClock the tests move; argon2 is cheap. Every test uses fresh users and client IPs
(``X-Forwarded-For``, trusted from 127.0.0.1), so tests do not share rate-limit windows.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

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

CHEAP_ARGON2 = Argon2Params(memory_kib=256, time_cost=1, parallelism=1)


@dataclass(frozen=True)
class User:
    """A signed-in test user."""

    id: str
    username: str


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
async def room_service(infra) -> AsyncIterator[RoomServiceUnderTest]:
    """The room service, ready."""
    private = Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    jwk = {**jwk, "kid": jwk_thumbprint(jwk), "alg": "EdDSA", "use": "sig"}
    settings = Settings(
        http_host="127.0.0.1",
        http_port=free_port(),
        grpc_host="127.0.0.1",
        grpc_port=free_port(),
        database_url=infra.postgres_url,
        redis_url=infra.redis_url,
        nats_url=infra.nats_url,
        auth_grpc_addr="127.0.0.1:1",  # unused: keys come from the StaticKeySource
        guest_token_secret="test-guest-token-secret-" + "x" * 16,
        shutdown_grace_s=0.5,
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
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.http_port}") as c:
            async with asyncio.timeout(30):
                while (await c.get("/health/ready")).status_code != 200:
                    await asyncio.sleep(0.1)
        yield RoomServiceUnderTest(runner, definition, settings, clock, private, jwk["kid"])
    finally:
        await runner.stop()
