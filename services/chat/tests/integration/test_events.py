"""Every stored or deleted message on JetStream CHAT_EVENTS (once, by a stable Nats-Msg-Id) and on
the live subject the gateways fan out from."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from syncwatch.chat.adapters.events import ChatEvent, MessageJson
from syncwatch.core.bus import live_subject

pytestmark = pytest.mark.integration


async def _stored_events(nats, room_id: str) -> list[tuple[str, ChatEvent]]:
    sub = await nats.js.subscribe(
        f"syncwatch.evt.chat.{room_id}.>", stream="CHAT_EVENTS", ordered_consumer=True
    )
    found = []
    try:
        while True:
            msg = await sub.next_msg(timeout=0.5)
            found.append(
                (msg.headers["Nats-Msg-Id"], msgspec.json.decode(msg.data, type=ChatEvent))
            )
    except TimeoutError:
        pass
    finally:
        await sub.unsubscribe()
    return found


async def test_messages_are_published_durably_and_live(chat, nats) -> None:
    room, bob = chat.new_room(), chat.new_user()
    live: asyncio.Queue[bytes] = asyncio.Queue()

    async def on_live(msg) -> None:
        await live.put(msg.data)

    sub = await nats.nc.subscribe(live_subject(room, "chat"), cb=on_live)
    await nats.nc.flush()
    try:
        said = (await chat.post(room, bob, "hi all", name="bob", client_message_id="c1")).message
        await chat.post(room, bob, "hi all", name="bob", client_message_id="c1")  # a resend
        played = (await chat.post_system(room, "play", dedup_key="cmd-9", actor_name="bob")).message
        await chat.delete(room, said.id, bob)
        await chat.delete(room, said.id, bob)  # changes nothing, publishes nothing
        received = []
        async with asyncio.timeout(5):
            while len(received) < 4:
                received.append(msgspec.json.decode(await live.get(), type=MessageJson))
        await asyncio.sleep(0.3)
        assert live.empty()
    finally:
        await sub.unsubscribe()

    # Live: the message, its resend (receivers place messages by id), the system message, the
    # tombstone.
    assert [(m.id, m.seq, m.deleted) for m in received] == [
        (said.id, 1, False),
        (said.id, 1, False),
        (played.id, 2, False),
        (said.id, 1, True),
    ]
    first = received[0]
    assert first.room_id == room
    assert first.kind == "user"
    assert first.author_user_id == bob
    assert first.author_name == "bob"
    assert first.content == "hi all"
    assert first.client_message_id == "c1"
    assert received[2].system_kind == "play"
    assert received[3].content == ""

    events = await _stored_events(nats, room)
    assert [(msg_id, e.type, e.message.id) for msg_id, e in events] == [
        (f"chat.{said.id}.posted", "message_posted", said.id),
        (f"chat.{played.id}.posted", "message_posted", played.id),
        (f"chat.{said.id}.deleted", "message_deleted", said.id),
    ]
    assert all(msg_id == e.id and e.room_id == room for msg_id, e in events)
    assert events[2][1].message.deleted


async def test_live_json_is_camel_case(chat, nats) -> None:
    room = chat.new_room()
    sub = await nats.nc.subscribe(live_subject(room, "chat"))
    await nats.nc.flush()
    try:
        await chat.post_system(room, "seek", data={"position": "12.5"}, actor_name="ann")
        raw = msgspec.json.decode((await sub.next_msg(timeout=5)).data)
    finally:
        await sub.unsubscribe()
    assert set(raw) == {
        "id",
        "roomId",
        "seq",
        "kind",
        "authorUserId",
        "authorName",
        "content",
        "systemKind",
        "systemData",
        "clientMessageId",
        "createdAt",
        "deleted",
        "deletedAt",
    }
    assert raw["systemData"] == {"position": "12.5"}
    assert raw["authorUserId"] is None
    assert raw["createdAt"].endswith("Z")
