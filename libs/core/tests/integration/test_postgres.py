import asyncio

import asyncpg
import pytest

from syncwatch.core.postgres import MigrationError, PostgresDependency, load_migrations, migrate

pytestmark = pytest.mark.integration


async def test_migrations_apply_once_even_when_replicas_race(infra, tmp_path) -> None:
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    (tmp_path / "0002_seed.sql").write_text("INSERT INTO things VALUES (1);")
    migrations = load_migrations(tmp_path)
    conns = [await asyncpg.connect(infra.postgres_url) for _ in range(4)]
    try:
        applied = await asyncio.gather(*(migrate(c, "race_svc", migrations) for c in conns))
        # Exactly one replica applied each file; the others found it recorded under the lock.
        assert sorted(v for a in applied for v in a) == [1, 2]
        assert await conns[0].fetchval("SELECT count(*) FROM race_svc.things") == 1
    finally:
        for c in conns:
            await c.close()


async def test_edited_migration_is_refused(infra, tmp_path) -> None:
    (tmp_path / "0001_t.sql").write_text("CREATE TABLE t (id int);")
    conn = await asyncpg.connect(infra.postgres_url)
    try:
        await migrate(conn, "edit_svc", load_migrations(tmp_path))
        (tmp_path / "0001_t.sql").write_text("CREATE TABLE t (id bigint);")
        with pytest.raises(MigrationError, match="edited after it was applied"):
            await migrate(conn, "edit_svc", load_migrations(tmp_path))
    finally:
        await conn.close()


async def test_failed_migration_changes_nothing(infra, tmp_path) -> None:
    (tmp_path / "0001_ok.sql").write_text("CREATE TABLE ok (id int);")
    (tmp_path / "0002_broken.sql").write_text("CREATE TABLE broken (id int); SELECT no_such_fn();")
    conn = await asyncpg.connect(infra.postgres_url)
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await migrate(conn, "broken_svc", load_migrations(tmp_path))
        schema = await conn.fetchval("SELECT to_regnamespace('broken_svc')")
        assert schema is None  # the whole run is one transaction
    finally:
        await conn.close()


async def test_dependency_pool_uses_the_service_schema(infra, tmp_path) -> None:
    (tmp_path / "0001_notes.sql").write_text("CREATE TABLE notes (body text);")
    dep = PostgresDependency(
        infra.postgres_url, schema="notes_svc", migrations_dir=tmp_path, application_name="t"
    )
    await dep.connect()
    try:
        await dep.setup()
        await dep.check()
        async with dep.pool.acquire() as conn:
            await conn.execute("INSERT INTO notes VALUES ('hi')")
            assert await conn.fetchval("SELECT count(*) FROM notes_svc.notes") == 1
    finally:
        await dep.close()
