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
from syncwatch.core.bus import Consumer, Event, EventBus, PoisonMessage, Stream
from syncwatch.core.deps import Dependency
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


class RoomEventsConsumer(Dependency):
    """Turns participant events into system messages, once each."""

    name = "room_events"
    DURABLE = "chat-room-system-messages"

    def __init__(self, bus: EventBus, chat: ChatService, postgres: PostgresDependency) -> None:
        self._bus = bus
        self._chat = chat
        self._postgres = postgres
        self._consumer: Consumer | None = None

    async def connect(self) -> None:
        """Start consuming once the database pool exists (raises, and is retried, until then)."""
        _ = self._postgres.pool
        self._consumer = await self._bus.consume(
            stream=Stream.ROOM_EVENTS,
            durable=self.DURABLE,
            subject=SUBJECT,
            handler=self.handle,
            max_deliver=120,
        )

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

    async def check(self) -> None:
        """The consumer loop is running."""
        task = self._consumer.task if self._consumer else None
        if task is None or task.done():
            raise RuntimeError("the room events consumer is not running")

    async def close(self) -> None:
        """Stop after the message in hand."""
        if self._consumer is not None:
            await self._consumer.stop()
