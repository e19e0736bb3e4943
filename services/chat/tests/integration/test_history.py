"""ListMessages: the latest page, older pages before an id, exact catch-up after an id."""

from __future__ import annotations

import pytest

from syncwatch.core import errors

pytestmark = pytest.mark.integration


async def _room_with(chat, count: int) -> tuple[str, list]:
    room, user = chat.new_room(), chat.new_user()
    posted = [(await chat.post(room, user, f"m{i}")).message for i in range(1, count + 1)]
    return room, posted


async def test_pages_of_older_history(chat) -> None:
    room, posted = await _room_with(chat, 7)
    latest = await chat.history(room, limit=3)
    assert [m.content for m in latest.messages] == ["m5", "m6", "m7"]
    assert latest.has_more
    older = await chat.history(room, before_id=latest.messages[0].id, limit=3)
    assert [m.seq for m in older.messages] == [2, 3, 4]
    assert older.has_more
    oldest = await chat.history(room, before_id=older.messages[0].id, limit=3)
    assert [m.seq for m in oldest.messages] == [1]
    assert not oldest.has_more
    exact = await chat.history(room, before_id=posted[3].id, limit=3)
    assert [m.seq for m in exact.messages] == [1, 2, 3]
    assert not exact.has_more
    assert list((await chat.history(room)).messages) == posted  # default page holds them all
    assert not (await chat.history(room)).has_more
    assert len((await chat.history(room, limit=10_000)).messages) == 7  # capped at 200, not refused


async def test_catch_up_after_an_id_is_exact(chat) -> None:
    room, posted = await _room_with(chat, 7)
    after = await chat.history(room, after_id=posted[2].id, limit=2)
    assert [m.seq for m in after.messages] == [4, 5]
    assert after.has_more
    rest = await chat.history(room, after_id=after.messages[-1].id, limit=2)
    assert [m.seq for m in rest.messages] == [6, 7]
    assert not rest.has_more
    assert list((await chat.history(room, after_id=posted[2].id)).messages) == posted[3:]
    caught_up = await chat.history(room, after_id=posted[-1].id)
    assert list(caught_up.messages) == []
    assert not caught_up.has_more
    # What was posted since is exactly what the next catch-up returns.
    new = (await chat.post(room, chat.new_user(), "late")).message
    assert list((await chat.history(room, after_id=posted[-1].id)).messages) == [new]


async def test_an_empty_room_has_no_history(chat) -> None:
    empty = await chat.history(chat.new_room())
    assert list(empty.messages) == []
    assert not empty.has_more


async def test_bad_cursors(chat) -> None:
    room, posted = await _room_with(chat, 2)
    other_room, _ = await _room_with(chat, 1)
    for cursor in ("msg_nope", posted[0].id):
        with pytest.raises(errors.NotFound) as missing:
            await chat.history(other_room, after_id=cursor)
        assert missing.value.code == "message_not_found"
    with pytest.raises(errors.NotFound):
        await chat.history(room, before_id="msg_nope")
    with pytest.raises(errors.InvalidRequest, match="at most one"):
        await chat.history(room, before_id=posted[1].id, after_id=posted[0].id)
    with pytest.raises(errors.InvalidRequest, match="limit"):
        await chat.history(room, limit=-1)
    with pytest.raises(errors.InvalidRequest, match="room_id"):
        await chat.history("")
