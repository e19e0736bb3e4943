"""Room events become system messages: the durable consumer ``chat-room-system-messages``.

It reads ``syncwatch.evt.room.*.participant.*`` on ``ROOM_EVENTS`` (published by the room service:
``id, type, roomId, code, at, actorId, memberId, data``) and stores a ``join``, ``leave``, ``kicked``
or ``banned`` message with ``memberId`` (and, for a join, ``memberKind``: user or guest) in its
data. The room event's id is the dedup key, so a
redelivered or republished event stores one message. ``participant.left`` carries no name: the name
on the member's join message is used ("" when chat never saw the join).

A dependency of the service, so it starts once NATS and PostgreSQL are there and readiness says
whether it runs. An event that does not decode, or that the rules refuse, is parked; a failure
(PostgreSQL away) is retried with backoff for about an hour before parking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from syncwatch.chat.domain.messages import MAX_NAME_CHARS, ROOM_EVENT_KINDS, SystemKind
from syncwatch.chat.messages import ChatService
from syncwatch.core import errors
from syncwatch.core.bus import ConsumerDependency, Event, EventBus, PoisonMessage, Stream
from syncwatch.core.postgres import PostgresDependency

SUBJECT = "syncwatch.evt.room.*.participant.*"


class RoomFact(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """The part of a room event (``ROOM_EVENTS``) that chat reads; other fields are ignored."""

    id: str
    type: str
    room_id: str
    at: dt.datetime
    member_id: str | None = None
    data: dict[str, Any] = msgspec.field(default_factory=dict)


def dedup_key(fact: RoomFact) -> str:
    """The system message's idempotency key: the room event's own id."""
    return f"room-event:{fact.id}"


class RoomEventsConsumer(ConsumerDependency):
    """Turns participant events into system messages, once each."""

    name = "room_events"
    STREAM = Stream.ROOM_EVENTS
    DURABLE = "chat-room-system-messages"
    SUBJECT = SUBJECT

    def __init__(self, bus: EventBus, chat: ChatService, postgres: PostgresDependency) -> None:
        super().__init__(bus, after=lambda: postgres.pool)
        self._chat = chat

    async def handle(self, event: Event) -> None:
        """Store the system message an event stands for (idempotent); ignore other events."""
        try:
            fact = event.json(RoomFact)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise PoisonMessage(f"not a room event: {exc}") from exc
        kind = ROOM_EVENT_KINDS.get(fact.type)
        if kind is None:  # participant.unbanned and whatever comes later
            return
        if not fact.member_id:
            raise PoisonMessage(f"{fact.type} without memberId")
        name = fact.data.get("name")
        if not isinstance(name, str):
            name = ""
        if not name and kind is not SystemKind.JOIN:
            name = await self._chat.store.member_name(fact.room_id, fact.member_id) or ""
        data = {"memberId": fact.member_id}
        member_kind = fact.data.get("kind")
        if kind is SystemKind.JOIN and member_kind in ("user", "guest"):
            data["memberKind"] = member_kind
        try:
            await self._chat.post_system(
                room_id=fact.room_id,
                kind=kind.value,
                actor_name=name.strip()[:MAX_NAME_CHARS],
                data=data,
                dedup_key=dedup_key(fact),
            )
        except errors.InvalidRequest as exc:
            raise PoisonMessage(f"refused: {exc.message}") from exc
