"""PostMessage over gRPC: committed before the answer, idempotent, content rules, 30 per minute,
gapless ``seq`` under concurrent writers."""

from __future__ import annotations

import asyncio

import pytest

from syncwatch.core import errors
from syncwatch.proto.chat.v1 import chat_pb2

pytestmark = pytest.mark.integration


async def _rows(db, room_id: str) -> list:
    return await db.fetch(
        "SELECT id, seq, content, client_message_id FROM chat.messages WHERE room_id = $1"
        " ORDER BY seq",
        room_id,
    )


async def test_a_message_is_committed_before_the_answer(chat, chat_service, db) -> None:
    room, user = chat.new_room(), chat.new_user()
    answer = await chat.post(room, user, "  hello there  ", name="ann")
    message = answer.message
    # Another connection sees only committed rows: the row is there the moment the answer is.
    row = await db.fetchrow("SELECT * FROM chat.messages WHERE id = $1", message.id)
    assert row is not None
    assert row["room_id"] == room
    assert row["content"] == "hello there"
    assert row["author_user_id"] == user
    assert not answer.replayed
    assert message.id.startswith("msg_")
    assert message.seq == 1
    assert message.kind == "user"
    assert message.author_user_id == user
    assert message.author_name == "ann"
    assert message.content == "hello there"
    assert not message.deleted
    assert not message.HasField("delete_time")
    assert message.create_time.seconds == int(chat_service.clock.now())
    second = await chat.post(room, user, "again")
    assert second.message.seq == 2
    assert second.message.id > message.id


async def test_a_resend_answers_the_stored_message_and_stores_nothing(chat, db) -> None:
    room, user = chat.new_room(), chat.new_user()
    first = await chat.post(room, user, "once", client_message_id="c-1")
    again = await chat.post(room, user, "once", client_message_id="c-1")
    assert again.replayed
    assert again.message == first.message
    # The key is per sender: another member may use the same client id.
    other = await chat.post(room, chat.new_user(), "mine", client_message_id="c-1")
    assert not other.replayed
    assert other.message.id != first.message.id
    rows = await _rows(db, room)
    assert [(r["seq"], r["client_message_id"]) for r in rows] == [(1, "c-1"), (2, "c-1")]
    counter = await db.fetchval("SELECT last_seq FROM chat.room_counters WHERE room_id = $1", room)
    assert counter == 2


async def test_concurrent_resends_store_one_message(chat, db) -> None:
    room, user = chat.new_room(), chat.new_user()
    answers = await asyncio.gather(
        *(chat.post(room, user, "racing", client_message_id="same") for _ in range(8))
    )
    assert len({a.message.id for a in answers}) == 1
    assert sum(not a.replayed for a in answers) == 1
    assert len(await _rows(db, room)) == 1
    after = await chat.post(room, user, "next")
    assert after.message.seq == 2


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("content", "", "empty"),
        ("content", " \n\t ", "empty"),
        ("content", "x" * 2001, "at most 2000"),
        ("content", "null\x00byte", "control"),
        ("content", "\x1b[2Jclear", "control"),
        ("client_message_id", "has space", "client_message_id"),
        ("author_name", "   ", "author_name"),
        ("room_id", "rm.dotted", "room_id"),
        ("room_id", "", "room_id"),
        ("author_user_id", "", "author_user_id"),
    ],
)
async def test_bad_requests_are_refused_and_store_nothing(chat, db, field, value, why) -> None:
    room = chat.new_room()
    request = chat_pb2.PostMessageRequest(
        room_id=room,
        author_user_id=chat.new_user(),
        author_name="ann",
        content="fine",
        client_message_id=chat.new_client_id(),
    )
    setattr(request, field, value)
    with pytest.raises(errors.InvalidRequest) as refused:
        await chat.stub.PostMessage(request)
    assert refused.value.code == "invalid_request"
    assert why in refused.value.message
    assert await _rows(db, room) == []


async def test_content_keeps_newlines_tabs_and_the_full_length(chat) -> None:
    room, user = chat.new_room(), chat.new_user()
    multi = await chat.post(room, user, "line one\r\n\tline two\n")
    assert multi.message.content == "line one\n\tline two"
    longest = await chat.post(room, user, "é" * 2000)
    assert longest.message.content == "é" * 2000


async def test_thirty_messages_per_minute_per_user(chat, chat_service) -> None:
    room, user = chat.new_room(), chat.new_user()
    for _ in range(3):  # refused requests do not count
        with pytest.raises(errors.InvalidRequest):
            await chat.post(room, user, "")
    first = await chat.post(room, user, "1", client_message_id="first")
    for i in range(2, 31):
        await chat.post(chat.new_room() if i % 2 else room, user, str(i))  # across rooms
    with pytest.raises(errors.RateLimited) as limited:
        await chat.post(room, user, "31")
    assert limited.value.code == "rate_limited"
    assert limited.value.retry_after == 60
    # A resend of a stored message is answered, and not counted.
    again = await chat.post(room, user, "1", client_message_id="first")
    assert again.replayed
    assert again.message.id == first.message.id
    # Someone else is not limited by it.
    await chat.post(room, chat.new_user(), "me too")

    chat_service.clock.advance(30)
    with pytest.raises(errors.RateLimited) as still:
        await chat.post(room, user, "31")
    assert still.value.retry_after == 30
    chat_service.clock.advance(30)
    allowed = await chat.post(room, user, "31")
    assert allowed.message.content == "31"


async def test_concurrent_posts_get_gapless_seq(chat, db) -> None:
    room = chat.new_room()
    users = [chat.new_user() for _ in range(5)]

    async def talk(user: str) -> list[int]:
        return [(await chat.post(room, user, f"{user} {i}")).message.seq for i in range(8)]

    seqs = [s for per_user in await asyncio.gather(*(talk(u) for u in users)) for s in per_user]
    assert sorted(seqs) == list(range(1, 41))
    rows = await _rows(db, room)
    assert [r["seq"] for r in rows] == list(range(1, 41))
    counter = await db.fetchval("SELECT last_seq FROM chat.room_counters WHERE room_id = $1", room)
    assert counter == 40
    listed = await chat.history(room, limit=200)
    assert [m.seq for m in listed.messages] == list(range(1, 41))
    ids = [m.id for m in listed.messages]
    assert ids == sorted(ids)  # a room's ids sort in seq order, on one clock millisecond too
    # Each sender's messages keep their order.
    for user in users:
        own = [m.content for m in listed.messages if m.author_user_id == user]
        assert own == [f"{user} {i}" for i in range(8)]
