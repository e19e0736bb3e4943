"""DeleteMessage: the owner deletes any message, a member their own; tombstones; idempotent."""

from __future__ import annotations

import pytest

from syncwatch.core import errors

pytestmark = pytest.mark.integration


async def test_who_may_delete_what(chat, db) -> None:
    room, owner, bob, carl = chat.new_room(), chat.new_user(), chat.new_user(), chat.new_user()
    bobs = (await chat.post(room, bob, "bob's", name="bob")).message
    carls = (await chat.post(room, carl, "carl's", name="carl")).message

    with pytest.raises(errors.Forbidden) as refused:
        await chat.delete(room, carls.id, bob)
    assert refused.value.code == "forbidden"
    assert (await chat.history(room)).messages[1].content == "carl's"  # nothing changed

    own = await chat.delete(room, bobs.id, bob)
    assert own.deleted
    assert own.content == ""
    assert own.id == bobs.id
    assert own.seq == bobs.seq
    assert own.author_name == "bob"
    assert own.HasField("delete_time")

    by_owner = await chat.delete(room, carls.id, owner, owner=True)
    assert by_owner.deleted

    row = await db.fetchrow(
        "SELECT content, deleted_at, deleted_by FROM chat.messages WHERE id = $1", carls.id
    )
    assert row["content"] == ""
    assert row["deleted_at"] is not None
    assert row["deleted_by"] == owner

    # Tombstones stay in the history, in their place.
    listed = (await chat.history(room)).messages
    assert [(m.seq, m.deleted, m.content) for m in listed] == [(1, True, ""), (2, True, "")]


async def test_deleting_again_answers_the_tombstone(chat) -> None:
    room, bob = chat.new_room(), chat.new_user()
    message = (await chat.post(room, bob, "oops", client_message_id="oops-1")).message
    first = await chat.delete(room, message.id, bob)
    again = await chat.delete(room, message.id, bob)
    assert again == first
    # A resend of the deleted message answers its tombstone; it does not come back.
    resent = await chat.post(room, bob, "oops", client_message_id="oops-1")
    assert resent.replayed
    assert resent.message == first


async def test_unknown_messages_and_bad_requests(chat) -> None:
    room, bob = chat.new_room(), chat.new_user()
    message = (await chat.post(room, bob, "here")).message
    with pytest.raises(errors.NotFound) as missing:
        await chat.delete(room, "msg_nope", bob, owner=True)
    assert missing.value.code == "message_not_found"
    with pytest.raises(errors.NotFound):
        await chat.delete(chat.new_room(), message.id, bob, owner=True)  # not in that room
    with pytest.raises(errors.InvalidRequest):
        await chat.delete(room, "", bob)
    with pytest.raises(errors.InvalidRequest):
        await chat.delete(room, message.id, "")
