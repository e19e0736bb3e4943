"""pytest fixtures over real infrastructure. See the package docstring for how servers are chosen."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

from syncwatch.core.clock import ManualClock
from syncwatch.devstack.infra import EmbeddedNats, EmbeddedPostgres, EmbeddedRedis, EmbeddedServer


@dataclass(frozen=True)
class Infra:
    """URLs of the servers a test run uses, and the embedded servers behind them (if any)."""

    postgres_url: str
    redis_url: str
    nats_url: str
    embedded: dict[str, EmbeddedServer]


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture(scope="session")
def infra_dir() -> Iterator[Path]:
    """A directory for the run's embedded servers, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="syncwatch-test-"))
    # Embedded PostgreSQL runs unprivileged when we are root; it must be able to reach its data dir.
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest_asyncio.fixture(scope="session")
async def infra(infra_dir: Path) -> AsyncIterator[Infra]:
    """Real PostgreSQL, Redis and NATS for the whole run, with a database of its own."""
    embedded: dict[str, EmbeddedServer] = {}
    pg_url = os.environ.get("SYNCWATCH_TEST_DATABASE_URL")
    redis_url = os.environ.get("SYNCWATCH_TEST_REDIS_URL")
    nats_url = os.environ.get("SYNCWATCH_TEST_NATS_URL")
    if not pg_url:
        embedded["postgres"] = EmbeddedPostgres(infra_dir / "postgres")
    if not redis_url:
        embedded["redis"] = EmbeddedRedis(infra_dir / "redis")
    if not nats_url:
        embedded["nats"] = EmbeddedNats(infra_dir / "nats")
    try:
        for server in embedded.values():
            await server.start()
        pg_url = pg_url or embedded["postgres"].url
        database = f"syncwatch_test_{secrets.token_hex(4)}"
        admin = await asyncpg.connect(pg_url)
        try:
            await admin.execute(f'CREATE DATABASE "{database}"')
        finally:
            await admin.close()
        yield Infra(
            postgres_url=_with_database(pg_url, database),
            redis_url=redis_url or embedded["redis"].url,
            nats_url=nats_url or embedded["nats"].url,
            embedded=embedded,
        )
        admin = await asyncpg.connect(pg_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            await admin.close()
    finally:
        for server in reversed(list(embedded.values())):
            await server.stop()


@pytest.fixture
def manual_clock() -> ManualClock:
    """A clock that moves only when the test says so."""
    return ManualClock()
