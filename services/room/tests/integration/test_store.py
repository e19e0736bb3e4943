"""The room store on real PostgreSQL: unique codes with retry, capacity under a join race, bans,
idempotent re-join, expiry."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from syncwatch.core.postgres import PostgresDependency
from syncwatch.room.adapters.postgres import Identity, InviteOutcome, JoinOutcome, RoomStore
from syncwatch.room.domain.rooms import (
    CODE_ALPHABET,
    CODE_LENGTH,
    new_id,
    new_invite_code,
    validate_settings,
)
from syncwatch.room.service import MIGRATIONS
from syncwatch.testing.plugin import Infra

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 11, 23, 22, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=24)


@pytest_asyncio.fixture(scope="module")
async def pg(infra: Infra) -> AsyncIterator[PostgresDependency]:
    dep = PostgresDependency(
        infra.postgres_url,
        schema="room",
        migrations_dir=MIGRATIONS,
        application_name="room-test",
        max_size=20,  # the race's twenty joins each on their own connection, at once
    )
    await dep.connect()
    await dep.setup()
    yield dep
    await dep.close()


def _user(name: str | None = None) -> Identity:
    uid = new_id("u")
    return Identity(user_id=uid, guest_id=None, display_name=name or uid)


def _guest(name: str = "Kim") -> Identity:
    return Identity(user_id=None, guest_id=new_id("g"), display_name=name)


async def _create(store: RoomStore, seats: int = 5) -> str:
    settings = validate_settings(
        name=None,
        owner_username="ann",
        max_participants=seats,
        playback_control="owner_only",
        password=None,
    )
    room, owner = await store.create(
        settings=settings, password_hash=None, owner=_user("ann"), now=NOW, expires_at=LATER
    )
    assert owner.role.value == "owner"
    assert len(room.code) == CODE_LENGTH
    assert set(room.code) <= set(CODE_ALPHABET)
    return room.code


async def test_created_rooms_get_distinct_codes(pg: PostgresDependency) -> None:
    store = RoomStore(pg)
    codes = [await _create(store) for _ in range(20)]
    assert len(set(codes)) == 20


async def test_a_code_collision_is_retried(pg: PostgresDependency) -> None:
    taken = await _create(RoomStore(pg))
    fresh = new_invite_code()
    draws = itertools.chain([taken, taken], itertools.repeat(fresh))
    store = RoomStore(pg, new_code=lambda: next(draws))
    assert await _create(store) == fresh


async def test_twenty_joins_racing_for_five_seats_leave_exactly_five(
    pg: PostgresDependency,
) -> None:
    store = RoomStore(pg)
    code = await _create(store, seats=5)
    joiners = [_user() if i % 2 else _guest(f"g{i}") for i in range(20)]
    results = await asyncio.gather(
        *(store.join(code, who, now=NOW, expires_at=LATER) for who in joiners)
    )
    outcomes = [r.outcome for r in results]
    assert outcomes.count(JoinOutcome.JOINED) == 4  # the owner holds the fifth seat
    assert outcomes.count(JoinOutcome.FULL) == 16
    room = await store.live_room(code, NOW)
    assert room is not None
    assert await store.seats_taken(room.id) == 5


async def test_rejoin_is_idempotent(pg: PostgresDependency) -> None:
    store = RoomStore(pg)
    code = await _create(store, seats=2)
    bob = _user("bob")
    first = await store.join(code, bob, now=NOW, expires_at=LATER)
    again = await store.join(code, bob, now=NOW, expires_at=LATER)
    assert first.outcome is JoinOutcome.JOINED
    assert again.outcome is JoinOutcome.ALREADY_MEMBER
    assert again.member == first.member
    # The room is full now (owner + bob), but bob's repeat is still answered as a member.
    assert (await store.join(code, bob, now=NOW, expires_at=LATER)).member == first.member
    assert (await store.join(code, _user(), now=NOW, expires_at=LATER)).outcome is JoinOutcome.FULL


async def test_a_banned_identity_cannot_join(pg: PostgresDependency) -> None:
    store = RoomStore(pg)
    code = await _create(store)
    room = await store.live_room(code, NOW)
    assert room is not None
    carl, guest = _user("carl"), _guest()
    for who in (carl, guest):
        await pg.pool.execute(
            "INSERT INTO bans (id, room_id, user_id, guest_id, display_name, banned_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            new_id("b"),
            room.id,
            who.user_id,
            who.guest_id,
            who.display_name,
            room.owner_id,
            NOW,
        )
        assert (await store.join(code, who, now=NOW, expires_at=LATER)).outcome is (
            JoinOutcome.BANNED
        )


async def test_expired_and_unknown_rooms_are_gone_and_a_join_extends_expiry(
    pg: PostgresDependency,
) -> None:
    store = RoomStore(pg)
    code = await _create(store)
    assert await store.live_room("ZZZZZZZZ", NOW) is None
    assert (await store.join("ZZZZZZZZ", _user(), now=NOW, expires_at=LATER)).outcome is (
        JoinOutcome.GONE
    )
    half = NOW + dt.timedelta(hours=12)
    await store.join(code, _user(), now=half, expires_at=half + dt.timedelta(hours=24))
    room = await store.live_room(code, LATER)
    assert room is not None
    assert room.expires_at == half + dt.timedelta(hours=24)
    gone_at = room.expires_at
    assert await store.live_room(code, gone_at) is None
    assert (await store.join(code, _user(), now=gone_at, expires_at=LATER)).outcome is (
        JoinOutcome.GONE
    )


async def test_racing_invites_of_one_friend_make_one_and_a_join_settles_it(
    pg: PostgresDependency,
) -> None:
    store = RoomStore(pg)
    code = await _create(store)
    room = await store.live_room(code, NOW)
    assert room is not None
    friend = _user("bob")
    assert friend.user_id is not None
    answers = await asyncio.gather(
        *(
            store.create_invite(
                room.id,
                from_user_id=f"u_inviter{i}",
                from_username=f"inviter{i}",
                to_user_id=friend.user_id,
                now=NOW,
            )
            for i in range(10)
        )
    )
    outcomes = [outcome for outcome, _ in answers]
    assert outcomes.count(InviteOutcome.CREATED) == 1
    assert outcomes.count(InviteOutcome.EXISTING) == 9
    assert len({invite.id for _, invite in answers if invite}) == 1
    assert [i.id for i, _ in await store.pending_invites(friend.user_id, NOW)] == [
        answers[0][1].id if answers[0][1] else None
    ]

    assert (await store.join(code, friend, now=NOW, expires_at=LATER)).outcome is JoinOutcome.JOINED
    assert await store.pending_invites(friend.user_id, NOW) == []
    again = await store.create_invite(
        room.id, from_user_id="u_x", from_username="x", to_user_id=friend.user_id, now=NOW
    )
    assert again == (InviteOutcome.ALREADY_MEMBER, None)
