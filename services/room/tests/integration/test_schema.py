"""The room schema's own guarantees, on real PostgreSQL: unique codes, seats 2..5, one active stay,
the buffering policy's defaults and bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from syncwatch.core.postgres import PostgresDependency
from syncwatch.room.domain.rooms import new_id, new_invite_code
from syncwatch.room.service import MIGRATIONS
from syncwatch.testing.plugin import Infra

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 11, 23, 22, 0, tzinfo=dt.UTC)


@pytest_asyncio.fixture(scope="module")
async def pg(infra: Infra) -> AsyncIterator[PostgresDependency]:
    dep = PostgresDependency(
        infra.postgres_url, schema="room", migrations_dir=MIGRATIONS, application_name="room-test"
    )
    await dep.connect()
    await dep.setup()
    yield dep
    await dep.close()


async def _room(pg: PostgresDependency, *, code: str | None = None, seats: int = 5) -> str:
    room_id = new_id("rm")
    await pg.pool.execute(
        "INSERT INTO rooms (id, code, name, owner_id, max_participants, created_at, updated_at,"
        " expires_at) VALUES ($1, $2, 'r', 'u_1', $3, $4, $4, $4::timestamptz + interval '1 day')",
        room_id,
        code or new_invite_code(),
        seats,
        NOW,
    )
    return room_id


async def test_codes_are_unique(pg: PostgresDependency) -> None:
    code = new_invite_code()
    await _room(pg, code=code)
    with pytest.raises(asyncpg.UniqueViolationError):
        await _room(pg, code=code)


@pytest.mark.parametrize("code", ["ABCDEFG0", "abcdefgh", "ABCDEFG"])
async def test_codes_outside_the_alphabet_are_refused(pg: PostgresDependency, code: str) -> None:
    with pytest.raises(asyncpg.CheckViolationError):
        await _room(pg, code=code)


@pytest.mark.parametrize("seats", [1, 6])
async def test_seats_are_two_to_five(pg: PostgresDependency, seats: int) -> None:
    with pytest.raises(asyncpg.CheckViolationError):
        await _room(pg, seats=seats)


async def test_one_active_stay_per_user_and_guests_never_own(pg: PostgresDependency) -> None:
    room_id = await _room(pg)
    insert = (
        "INSERT INTO members (id, room_id, user_id, guest_id, display_name, role, joined_at)"
        " VALUES ($1, $2, $3, $4, 'x', $5, $6)"
    )
    await pg.pool.execute(insert, new_id("m"), room_id, "u_2", None, "member", NOW)
    with pytest.raises(asyncpg.UniqueViolationError):
        await pg.pool.execute(insert, new_id("m"), room_id, "u_2", None, "member", NOW)
    with pytest.raises(asyncpg.CheckViolationError):
        await pg.pool.execute(insert, new_id("m"), room_id, None, "g_1", "owner", NOW)
    with pytest.raises(asyncpg.CheckViolationError):
        await pg.pool.execute(insert, new_id("m"), room_id, "u_3", "g_1", "member", NOW)
    # After leaving, a new stay is allowed.
    await pg.pool.execute(
        "UPDATE members SET left_at = $3, left_reason = 'left' WHERE room_id = $1 AND user_id = $2",
        room_id,
        "u_2",
        NOW,
    )
    await pg.pool.execute(insert, new_id("m"), room_id, "u_2", None, "member", NOW)


async def test_buffering_defaults_and_checks(pg: PostgresDependency) -> None:
    room_id = await _room(pg)
    row = await pg.pool.fetchrow(
        "SELECT buffering_policy, buffering_grace_s FROM rooms WHERE id = $1", room_id
    )
    assert row is not None
    assert (row["buffering_policy"], row["buffering_grace_s"]) == ("wait_then_continue", 10)
    for column, value in [
        ("buffering_policy", "sometimes"),
        ("buffering_grace_s", 0),
        ("buffering_grace_s", 121),
    ]:
        with pytest.raises(asyncpg.CheckViolationError):
            await pg.pool.execute(f"UPDATE rooms SET {column} = $2 WHERE id = $1", room_id, value)
