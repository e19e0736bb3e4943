"""Playback commands become system messages: the durable consumer ``chat-sync-system-messages``.

It reads ``syncwatch.evt.sync.*.command_applied`` on ``SYNC_EVENTS`` (published by the sync gateway
once per member command it orders: ``id, type, roomId, sequenceNumber, memberId, name`` and, by
type, ``targetMediaTime`` (ms), ``rate``, ``sourceType``) and stores a ``play``, ``pause``, ``seek``
(with ``position`` in seconds), ``rate`` or ``source`` message. The command id is the dedup key,
so a redelivered event stores one message. Undecodable or refused events are parked; a failure
(PostgreSQL away) is retried with backoff before parking.
"""

from __future__ import annotations

import msgspec

from syncwatch.chat.domain.messages import MAX_NAME_CHARS, SYNC_COMMAND_KINDS, playback_details
from syncwatch.chat.messages import ChatService
from syncwatch.core import errors
from syncwatch.core.bus import ConsumerDependency, Event, EventBus, PoisonMessage, Stream
from syncwatch.core.postgres import PostgresDependency

SUBJECT = "syncwatch.evt.sync.*.command_applied"


class CommandFact(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """The part of a ``command_applied`` event that chat reads; other fields are ignored."""

    id: str
    type: str
    room_id: str
    name: str = ""
    target_media_time: float | None = None
    rate: float | None = None
    source_type: str | None = None


def dedup_key(fact: CommandFact) -> str:
    """The system message's idempotency key: the playback command's own id."""
    return fact.id


class SyncEventsConsumer(ConsumerDependency):
    """Turns playback commands into system messages, once each."""

    name = "sync_events"
    STREAM = Stream.SYNC_EVENTS
    DURABLE = "chat-sync-system-messages"
    SUBJECT = SUBJECT
    BATCH = 64

    def __init__(self, bus: EventBus, chat: ChatService, postgres: PostgresDependency) -> None:
        super().__init__(bus, after=lambda: postgres.pool)
        self._chat = chat

    async def handle(self, event: Event) -> None:
        """Store the system message a command stands for (idempotent); ignore other types."""
        try:
            fact = event.json(CommandFact)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise PoisonMessage(f"not a playback command event: {exc}") from exc
        kind = SYNC_COMMAND_KINDS.get(fact.type)
        if kind is None:
            return
        try:
            await self._chat.post_system(
                room_id=fact.room_id,
                kind=kind.value,
                actor_name=fact.name.strip()[:MAX_NAME_CHARS],
                data=playback_details(
                    kind,
                    target_media_time=fact.target_media_time,
                    rate=fact.rate,
                    source_type=fact.source_type,
                ),
                dedup_key=dedup_key(fact),
            )
        except errors.InvalidRequest as exc:
            raise PoisonMessage(f"refused: {exc.message}") from exc
