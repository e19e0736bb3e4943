"""PostgreSQL: one asyncpg pool per service, in the service's own schema, with plain-SQL migrations.

Migrations are files ``NNNN_name.sql`` in the service's ``migrations/`` directory, applied in order,
each in its own transaction, while holding a transaction-level advisory lock so that replicas starting
together apply each file exactly once. Applied files are recorded with a checksum; editing a file that
was already applied stops the service with a clear error instead of silently diverging.

Why our own runner: the well-known tools (alembic, yoyo, dbmate) either need SQLAlchemy/psycopg or an
extra binary; this is ~80 lines on asyncpg, which every service already uses.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from syncwatch.core.deps import Dependency
from syncwatch.core.logs import get_logger

log = get_logger(__name__)

MIGRATION_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")
SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class MigrationError(Exception):
    """The migrations directory or the recorded history is inconsistent."""


@dataclass(frozen=True)
class Migration:
    """One SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the file's text, to detect edits after it was applied."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(directory: Path) -> list[Migration]:
    """Read and order the migrations of a directory; refuse bad names and duplicate versions."""
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_snake_case.sql")
        version = int(match["version"])
        if version in migrations:
            raise MigrationError(f"{path.name}: version {version:04d} is used twice")
        migrations[version] = Migration(version, match["name"], path.read_text(encoding="utf-8"))
    return [migrations[v] for v in sorted(migrations)]


def _lock_key(schema: str) -> int:
    # pg_advisory_xact_lock takes a signed bigint; derive a stable one per schema.
    return zlib.crc32(f"syncwatch-migrations:{schema}".encode()) - 2**31


async def migrate(
    conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
    schema: str,
    migrations: list[Migration],
) -> list[int]:
    """Apply pending migrations in ``schema``; returns the versions applied now."""
    if not SCHEMA_NAME.match(schema):
        raise MigrationError(f"bad schema name {schema!r}")
    applied_now: list[int] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _lock_key(schema))
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await conn.execute(
            f"""CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        # The schema name is checked against SCHEMA_NAME above; identifiers cannot be bound.
        rows = await conn.fetch(f'SELECT version, checksum FROM "{schema}".schema_migrations')  # noqa: S608
        recorded = {r["version"]: r["checksum"] for r in rows}
        for m in migrations:
            if m.version in recorded:
                if recorded[m.version] != m.checksum:
                    raise MigrationError(
                        f"migration {m.version:04d}_{m.name} was edited after it was applied "
                        f"to schema {schema}; add a new migration instead"
                    )
                continue
            await conn.execute(f'SET LOCAL search_path TO "{schema}", public')
            await conn.execute(m.sql)
            await conn.execute(
                f'INSERT INTO "{schema}".schema_migrations (version, name, checksum) '  # noqa: S608
                "VALUES ($1, $2, $3)",
                m.version,
                m.name,
                m.checksum,
            )
            applied_now.append(m.version)
    return applied_now


class PostgresDependency(Dependency):
    """The service's pool; connections use the service schema as their search path."""

    name = "postgres"

    def __init__(
        self,
        dsn: str,
        *,
        schema: str,
        migrations_dir: Path | None,
        application_name: str,
        min_size: int = 1,
        max_size: int = 10,
    ) -> None:
        if not SCHEMA_NAME.match(schema):
            raise MigrationError(f"bad schema name {schema!r}")
        self.dsn = dsn
        self.schema = schema
        self.migrations_dir = migrations_dir
        self.application_name = application_name
        self.min_size = min_size
        self.max_size = max_size
        self._pool: asyncpg.Pool | None = None

    @property
    def pool(self) -> asyncpg.Pool:
        """The pool; only valid once the dependency is connected."""
        if self._pool is None:
            raise RuntimeError("PostgreSQL is not connected yet")
        return self._pool

    async def connect(self) -> None:
        """Open the pool; fails when the server cannot be reached."""
        self._pool = await asyncpg.create_pool(
            self.dsn,
            min_size=self.min_size,
            max_size=self.max_size,
            timeout=5,
            command_timeout=30,
            server_settings={
                "search_path": f"{self.schema},public",
                "application_name": self.application_name,
            },
        )

    async def setup(self) -> None:
        """Apply this service's migrations."""
        migrations = load_migrations(self.migrations_dir) if self.migrations_dir else []
        async with self.pool.acquire() as conn:
            applied = await migrate(conn, self.schema, migrations)
        if applied:
            log.info("migrations applied", schema=self.schema, versions=applied)

    async def check(self) -> None:
        """``SELECT 1`` on a pooled connection."""
        async with self.pool.acquire(timeout=CHECK_ACQUIRE_TIMEOUT_S) as conn:
            await conn.fetchval("SELECT 1")

    async def close(self) -> None:
        """Close the pool, waiting briefly for queries in flight."""
        if self._pool is not None:
            try:
                await self._pool.close()
            except Exception:  # noqa: BLE001 - a dead server must not block shutdown
                self._pool.terminate()


CHECK_ACQUIRE_TIMEOUT_S = 1.5
