"""LiveStore on the run's real Redis: one order under concurrent commits from several replicas,
idempotent repeats, optimistic concurrency, catch-up from the log."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from syncwatch.core import errors
from syncwatch.sync_gateway.adapters.live_store import LOG_LENGTH, LiveStore
from syncwatch.sync_gateway.domain.playback import Intent, apply

pytestmark = pytest.mark.integration


@pytest.fixture
async def replicas(infra):
    """Two stores with their own connections, as two gateway replicas would have."""
    clients = [aioredis.from_url(infra.redis_url, db=0) for _ in range(2)]
    try:
        yield [LiveStore(lambda c=c: c) for c in clients]
    finally:
        for c in clients:
            await c.aclose()


def room() -> str:
    return f"rm_{uuid.uuid4().hex[:12]}"


def seek(to: float, key: str | None = None) -> Intent:
    return Intent("SEEK", "u_1", target_media_time=to, idempotency_key=key)


async def test_concurrent_commits_from_two_replicas_get_one_gapless_order(replicas) -> None:
    room_id = room()

    async def one(i: int):
        store = replicas[i % 2]
        return await store.commit(
            room_id,
            lambda state, seq, i=i: apply(state, seek(float(i)), 1000.0 + i, seq),
            expected_sequence=None,
            idempotency_key=None,
        )

    results = await asyncio.gather(*(one(i) for i in range(40)))
    sequences = sorted(r.answer.sequence_number for r in results)
    assert sequences == list(range(1, 41))
    assert all(r.status == "applied" for r in results)
    log = await replicas[0].commands_after(room_id, 0)
    assert log is not None
    assert [c.sequence_number for c in log] == list(range(1, 41))
    # Each logged state is the one its command produced, and the stored state is the last.
    assert all(c.state.sequence_number == c.sequence_number for c in log)
    state = await replicas[1].state(room_id)
    assert state.sequence_number == 40
    assert state.anchor_media_time == log[-1].target_media_time


async def test_idempotency_key_repeat_is_answered_once_and_applied_once(replicas) -> None:
    room_id = room()
    first = await replicas[0].commit(
        room_id,
        lambda s, q: apply(s, seek(5.0, "k1"), 1.0, q),
        expected_sequence=None,
        idempotency_key="k1",
    )
    again = await replicas[1].commit(
        room_id,
        lambda s, q: apply(s, seek(9.0, "k1"), 2.0, q),
        expected_sequence=None,
        idempotency_key="k1",
    )
    assert first.status == "applied"
    assert again.status == "duplicate"
    assert again.answer == first.answer
    assert await replicas[0].sequence(room_id) == 1
    assert (await replicas[0].state(room_id)).anchor_media_time == 5.0


async def test_stale_expected_sequence_is_a_conflict_that_changes_nothing(replicas) -> None:
    room_id = room()
    for i in range(3):
        await replicas[0].commit(
            room_id,
            lambda s, q, i=i: apply(s, seek(float(i)), 1.0, q),
            expected_sequence=i,
            idempotency_key=None,
        )
    with pytest.raises(errors.Conflict) as caught:
        await replicas[1].commit(
            room_id,
            lambda s, q: apply(s, seek(99.0), 1.0, q),
            expected_sequence=1,
            idempotency_key=None,
        )
    assert caught.value.code == "conflict"
    assert caught.value.extra["currentSequence"] == 3
    assert await replicas[0].sequence(room_id) == 3
    # With the current sequence it goes through.
    done = await replicas[1].commit(
        room_id,
        lambda s, q: apply(s, seek(99.0), 1.0, q),
        expected_sequence=3,
        idempotency_key=None,
    )
    assert done.answer.sequence_number == 4


async def test_catch_up_reaches_back_as_far_as_the_log(replicas) -> None:
    room_id = room()
    total = LOG_LENGTH + 10
    for i in range(total):
        await replicas[0].commit(
            room_id,
            lambda s, q, i=i: apply(s, seek(float(i)), 1.0, q),
            expected_sequence=None,
            idempotency_key=None,
        )
    recent = await replicas[0].commands_after(room_id, total - 5)
    assert recent is not None
    assert [c.sequence_number for c in recent] == list(range(total - 4, total + 1))
    assert await replicas[0].commands_after(room_id, total) == []
    assert await replicas[0].commands_after(room_id, 3) is None  # trimmed: snapshot instead


async def test_commits_of_many_rooms_share_round_trips_and_survive_a_script_flush(
    replicas, monkeypatch
) -> None:
    """Commits made in one loop turn go to Redis as one pipeline; each is still atomic and
    answered on its own. A server that lost its scripts gets the script loaded again."""
    store = replicas[0]
    rooms = [room() for _ in range(30)]
    batches: list[int] = []
    execute = aioredis.client.Pipeline.execute

    async def counting(self, raise_on_error=True):  # type: ignore[no-untyped-def]
        batches.append(len(self.command_stack))
        return await execute(self, raise_on_error=raise_on_error)

    monkeypatch.setattr(aioredis.client.Pipeline, "execute", counting)

    async def one(room_id: str, to: float):
        return await store.commit(
            room_id,
            lambda state, seq: apply(state, seek(to), 1000.0, seq),
            expected_sequence=None,
            idempotency_key=None,
        )

    first = await asyncio.gather(*(one(r, 1.0) for r in rooms))
    assert [c.answer.sequence_number for c in first] == [1] * len(rooms)
    assert sum(batches) == len(rooms)
    assert len(batches) < len(rooms)  # shared round trips, not one each
    await store.r.script_flush()
    second = await asyncio.gather(*(one(r, 2.0) for r in rooms))
    assert [c.answer.sequence_number for c in second] == [2] * len(rooms)
    for r in rooms:
        state = await store.state(r)
        assert (state.sequence_number, state.anchor_media_time) == (2, 2.0)
