"""System messages: PostSystemMessage idempotent by dedup key; participant events from
ROOM_EVENTS (as the room service publishes them) turned into join/leave/kicked messages once each;
playback commands from SYNC_EVENTS (as the sync gateway publishes them) into play/pause/seek/rate/
source messages once each."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest

from syncwatch.chat.adapters.room_events import RoomEventsConsumer
from syncwatch.chat.adapters.sync_events import SyncEventsConsumer
from syncwatch.core import errors
from syncwatch.core.bus import EventBus, event_subject, parked_subject
from syncwatch.proto.chat.v1 import chat_pb2
from syncwatch.room.adapters.events import RoomEvent, event_id
from syncwatch.sync_gateway.gateway import CommandApplied

pytestmark = pytest.mark.integration

DURABLE = RoomEventsConsumer.DURABLE


async def test_system_messages_are_idempotent_by_dedup_key(chat, db) -> None:
    room = chat.new_room()
    first = await chat.post_system(
        room, "seek", dedup_key="cmd-1", actor_name="ann", data={"position": "83.25"}
    )
    message = first.message
    assert not first.replayed
    assert message.kind == "system"
    assert message.system_kind == "seek"
    assert dict(message.system_data) == {"position": "83.25"}
    assert message.author_name == "ann"
    assert message.content == ""
    assert message.author_user_id == ""
    again = await chat.post_system(room, "seek", dedup_key="cmd-1", data={"position": "83.25"})
    assert again.replayed
    assert again.message == message
    played = await chat.post_system(room, "play", dedup_key="cmd-2")
    assert played.message.seq == 2
    # System and user messages share one order.
    said = await chat.post(room, chat.new_user(), "nice")
    assert said.message.seq == 3
    count = await db.fetchval("SELECT count(*) FROM chat.messages WHERE room_id = $1", room)
    assert count == 3


@pytest.mark.parametrize(
    ("kind", "data", "key"),
    [
        ("dance", {}, "k1"),
        ("seek", {}, "k2"),
        ("seek", {"position": "-3"}, "k3"),
        ("play", {"bad-key": "x"}, "k4"),
        ("play", {}, ""),
        ("play", {}, "has space"),
    ],
)
async def test_bad_system_messages_are_refused(chat, kind, data, key) -> None:
    room = chat.new_room()
    with pytest.raises(errors.InvalidRequest):
        await chat.stub.PostSystemMessage(
            chat_pb2.PostSystemMessageRequest(room_id=room, kind=kind, data=data, dedup_key=key)
        )
    assert list((await chat.history(room)).messages) == []


def _event(
    type_: str, room_id: str, member_id: str, at: dt.datetime, data: dict | None = None
) -> RoomEvent:
    """A room event exactly as the room service builds it."""
    return RoomEvent(
        id=event_id(room_id, type_, at, member_id),
        type=type_,
        room_id=room_id,
        code="K7QX2MPA",
        at=at,
        actor_id="u_owner",
        member_id=member_id,
        data=data or {},
    )


async def _publish(nats, event: RoomEvent, *, copy: str = "") -> int:
    subject = event_subject("room", event.room_id, event.type)
    ack = await EventBus(nats).publish(subject, event, msg_id=event.id + copy)
    return ack.seq


async def _handled(nats, seq: int, stream: str = "ROOM_EVENTS", durable: str = DURABLE) -> None:
    """Wait until chat's durable consumer has handled (acked or parked) stream message ``seq``."""
    async with asyncio.timeout(20):
        while True:
            info = await nats.js.consumer_info(stream, durable)
            if info.delivered.stream_seq >= seq and info.num_ack_pending == 0:
                return
            await asyncio.sleep(0.05)


async def _parked(nats, stream: str, durable: str, subject: str) -> list[bytes]:
    """What the durable parked from ``subject`` (the PARKED stream read to its end)."""
    sub = await nats.js.subscribe(
        parked_subject(stream, durable), stream="PARKED", ordered_consumer=True
    )
    parked = []
    try:
        while True:
            parked.append(await sub.next_msg(timeout=0.5))
    except TimeoutError:
        pass
    finally:
        await sub.unsubscribe()
    return [m.data for m in parked if m.headers["Syncwatch-Original-Subject"] == subject]


async def test_participant_events_become_system_messages_once(chat, chat_service, nats) -> None:
    room, member = chat.new_room(), f"m_{uuid.uuid4().hex[:24]}"
    at = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
    joined = _event("participant.joined", room, member, at, {"kind": "guest", "name": "Kim"})
    await _publish(nats, joined)
    # The same event stored twice on the stream (as a retried publish outside the dedup window
    # would be): chat sees it twice and stores one message.
    await _handled(nats, await _publish(nats, joined, copy=":again"))
    messages = (await chat.history(room)).messages
    assert [(m.kind, m.system_kind, m.author_name) for m in messages] == [("system", "join", "Kim")]
    assert dict(messages[0].system_data) == {"memberId": member, "memberKind": "guest"}
    stored = await chat_service.chat.store.find_system_message(room, f"room-event:{joined.id}")
    assert stored is not None
    assert stored.id == messages[0].id

    later = at + dt.timedelta(minutes=5)
    other = f"m_{uuid.uuid4().hex[:24]}"
    await _publish(nats, _event("participant.left", room, member, later))  # carries no name
    await _publish(
        nats,
        _event("participant.kicked", room, other, later, {"reason": "spam", "name": "Max"}),
    )
    await _publish(nats, _event("participant.unbanned", room, other, later, {"name": "Max"}))
    await _handled(nats, await _publish(nats, _event("participant.banned", room, other, later)))
    messages = (await chat.history(room)).messages
    assert [(m.seq, m.system_kind, m.author_name) for m in messages] == [
        (1, "join", "Kim"),
        (2, "leave", "Kim"),  # the name on Kim's join message
        (3, "kicked", "Max"),
        (4, "banned", ""),  # chat never saw Max join: no name to give
    ]
    assert dict(messages[2].system_data) == {"memberId": other}


async def test_an_undecodable_room_event_is_parked(chat, nats) -> None:
    room = chat.new_room()
    subject = event_subject("room", room, "participant.joined")
    ack = await nats.js.publish(subject, b"{not json", headers={"Nats-Msg-Id": uuid.uuid4().hex})
    await _handled(nats, ack.seq)
    assert await _parked(nats, "ROOM_EVENTS", DURABLE, subject) == [b"{not json"]
    assert list((await chat.history(room)).messages) == []


def _command(room_id: str, type_: str, **fields: object) -> CommandApplied:
    """A playback event exactly as the sync gateway builds it."""
    return CommandApplied(
        id=f"cmd_{uuid.uuid4().hex[:16]}",
        type=type_,
        room_id=room_id,
        sequence_number=1,
        member_id=f"m_{uuid.uuid4().hex[:24]}",
        name="Ann",
        **fields,  # type: ignore[arg-type]
    )


async def _publish_command(nats, fact: CommandApplied) -> int:
    ack = await EventBus(nats).publish(
        event_subject("sync", fact.room_id, "command_applied"), fact, msg_id=fact.id
    )
    return ack.seq


async def test_playback_commands_become_system_messages_once(chat, nats) -> None:
    room = chat.new_room()
    facts = [
        _command(room, "SOURCE", source_type="external"),
        _command(room, "PLAY"),
        _command(room, "SEEK", target_media_time=83_250.0),
        _command(room, "SET_RATE", rate=1.5),
        _command(room, "PAUSE"),
        _command(room, "STATE_SNAPSHOT"),  # not a member's action: no message
    ]
    for fact in facts:
        await _publish_command(nats, fact)
    # The seek again, as a redelivery or a second publish past the dedup window would bring it.
    again = await EventBus(nats).publish(
        event_subject("sync", room, "command_applied"), facts[2], msg_id=facts[2].id + ":again"
    )
    await _handled(nats, again.seq, "SYNC_EVENTS", SyncEventsConsumer.DURABLE)
    messages = (await chat.history(room)).messages
    assert [(m.seq, m.system_kind, m.author_name, dict(m.system_data)) for m in messages] == [
        (1, "source", "Ann", {"sourceType": "external"}),
        (2, "play", "Ann", {}),
        (3, "seek", "Ann", {"position": "83.25"}),
        (4, "rate", "Ann", {"rate": "1.5"}),
        (5, "pause", "Ann", {}),
    ]


async def test_an_undecodable_playback_event_is_parked(chat, nats) -> None:
    room = chat.new_room()
    subject = event_subject("sync", room, "command_applied")
    ack = await nats.js.publish(subject, b'{"id": 7}', headers={"Nats-Msg-Id": uuid.uuid4().hex})
    await _handled(nats, ack.seq, "SYNC_EVENTS", SyncEventsConsumer.DURABLE)
    assert await _parked(nats, "SYNC_EVENTS", SyncEventsConsumer.DURABLE, subject) == [b'{"id": 7}']
    assert list((await chat.history(room)).messages) == []
