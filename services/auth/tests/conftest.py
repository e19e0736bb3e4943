"""One auth service per test run, in-process, on the run's real PostgreSQL, Redis and NATS.

Its clock is a ManualClock the tests move (throttling, expiry, grace periods) and its argon2 costs
are cheap (``password_params``, a test-only argument of ``build``); the production parameters have
their own test. Every test uses fresh users and client IPs (``X-Forwarded-For``, trusted from
127.0.0.1), so tests do not share rate-limit windows.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest_asyncio

from syncwatch.auth.accounts import AccountService
from syncwatch.auth.domain.passwords import Argon2Params
from syncwatch.auth.service import Settings, build
from syncwatch.core.clock import ManualClock
from syncwatch.core.runtime import ServiceDefinition, ServiceRunner
from syncwatch.testing.clients import client_from, next_ip
from syncwatch.testing.services import local_settings

CHEAP_ARGON2 = Argon2Params(memory_kib=256, time_cost=1, parallelism=1)
PASSWORD = "correct horse battery staple"


@dataclass
class AuthService:
    """The running service and what tests reach into."""

    runner: ServiceRunner
    definition: ServiceDefinition
    settings: Settings
    clock: ManualClock
    #: A shared client without cookies of its own use, for one-off requests (set X-Forwarded-For).
    http: httpx.AsyncClient

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    @property
    def grpc_address(self) -> str:
        return f"127.0.0.1:{self.settings.grpc_port}"

    @property
    def accounts(self) -> AccountService:
        accounts = self.definition.extra["accounts"]
        assert isinstance(accounts, AccountService)
        return accounts

    password = PASSWORD

    @staticmethod
    def new_name(prefix: str = "u") -> str:
        """A unique, valid username."""
        return f"{prefix}{uuid.uuid4().hex[:12]}"

    @staticmethod
    async def register(
        client: httpx.AsyncClient,
        username: str | None = None,
        password: str = PASSWORD,
        **extra: Any,
    ) -> dict[str, Any]:
        """Register (and so sign in) a new user; returns the session answer."""
        username = username or AuthService.new_name()
        resp = await client.post(
            "/api/auth/register",
            json={
                "email": f"{username}@example.com",
                "username": username,
                "password": password,
                **extra,
            },
        )
        assert resp.status_code == 201, resp.text
        body: dict[str, Any] = resp.json()
        return body

    @staticmethod
    def bearer(session: dict[str, Any]) -> dict[str, str]:
        """The Authorization header for a session answer."""
        return {"Authorization": f"Bearer {session['accessToken']}"}

    next_ip = staticmethod(next_ip)

    def client(self, ip: str | None = None) -> httpx.AsyncClient:
        """A browser-like client (own cookie jar) coming from its own IP address."""
        return client_from(self.base_url, ip)


@pytest_asyncio.fixture(scope="session")
async def auth(infra, tmp_path_factory) -> AsyncIterator[AuthService]:
    """The auth service, ready."""
    settings = local_settings(
        Settings,
        infra,
        signing_key_dir=str(tmp_path_factory.mktemp("auth") / "keys"),
    )
    clock = ManualClock()
    definition = build(settings, clock=clock, password_params=CHEAP_ARGON2)
    runner = ServiceRunner(definition)
    await runner.start()
    try:
        base_url = f"http://127.0.0.1:{settings.http_port}"
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as c:
            async with asyncio.timeout(30):
                while (await c.get("/health/ready")).status_code != 200:
                    await asyncio.sleep(0.1)
            yield AuthService(runner, definition, settings, clock, c)
    finally:
        await runner.stop()
