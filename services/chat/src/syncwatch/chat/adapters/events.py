"""The chat service on NATS: every stored or deleted message, durably and live.

- JetStream ``CHAT_EVENTS``: ``syncwatch.evt.chat.<roomId>.message_posted`` / ``.message_deleted``
  (a ``ChatEvent``), ``Nats-Msg-Id`` ``chat.<messageId>.posted`` / ``.deleted``, so a republished
  fact is stored once.
- Core NATS ``syncwatch.live.room.<roomId>.chat``: the message itself (``MessageJson``), for the
  gateways' live fan-out; a deleted message arrives as its tombstone (``deleted: true``).

Both go out after the commit, and the answer waits for them at most ``PUBLISH_TIMEOUT_S``. A failed
(or unconfirmed) publish is logged and counted, never undoes the message: readers notice the gap in
``seq`` (or reconnect) and catch up with ``ListMessages`` after an id.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import msgspec
from prometheus_client import Counter

from syncwatch.chat.adapters.postgres import MessageRow
from syncwatch.core.bus import EventBus, event_subject, live_subject
from syncwatch.core.logs import get_logger

log = get_logger(__name__)
DOMAIN = "chat"
LIVE_CHANNEL = "chat"
POSTED = "message_posted"
DELETED = "message_deleted"

#: How long a post waits for each publish before it answers anyway; both together stay well under
#: the 5 s the sync gateway gives the whole call. With NATS stalled or away, JetStream's own 5 s
#: wait for the ack turned every stored message into a failed send. The publish stays queued in the
#: client, so it usually lands once NATS answers again; a resend publishes again (JetStream drops
#: the duplicate).
PUBLISH_TIMEOUT_S = 1.5

PUBLISH_FAILURES = Counter(
    "syncwatch_chat_publish_failures_total",
    "Chat events not published (the message is stored; readers catch up), by where",
    ["target"],
)


class MessageJson(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """A message as JSON (camelCase), the shape live subscribers and event consumers get."""

    id: str
    room_id: str
    seq: int
    kind: str
    author_user_id: str | None
    author_name: str
    content: str
    system_kind: str | None
    system_data: dict[str, str]
    client_message_id: str | None
    created_at: dt.datetime
    deleted: bool
    deleted_at: dt.datetime | None


class ChatEvent(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """One fact about a room's chat, as published on ``CHAT_EVENTS``."""

    id: str
    type: str
    room_id: str
    at: dt.datetime
    message: MessageJson


def message_json(row: MessageRow) -> MessageJson:
    """The JSON form of a stored message."""
    return MessageJson(
        id=row.id,
        room_id=row.room_id,
        seq=row.seq,
        kind=row.kind.value,
        author_user_id=row.author_user_id,
        author_name=row.author_name,
        content=row.content,
        system_kind=row.system_kind,
        system_data=row.system_data,
        client_message_id=row.client_message_id,
        created_at=row.created_at,
        deleted=row.deleted,
        deleted_at=row.deleted_at,
    )


class ChatEvents:
    """Publishes stored and deleted messages; failures are logged and counted, never raised."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    async def message_posted(self, row: MessageRow) -> None:
        """A message was stored (or is answered again: republishing heals a lost publish)."""
        await self._publish(POSTED, row, row.created_at)

    async def message_deleted(self, row: MessageRow) -> None:
        """A message was tombstoned."""
        await self._publish(DELETED, row, row.deleted_at or row.created_at)

    async def _publish(self, event: str, row: MessageRow, at: dt.datetime) -> None:
        message = message_json(row)
        fact = ChatEvent(
            id=f"{DOMAIN}.{row.id}.{event.removeprefix('message_')}",
            type=event,
            room_id=row.room_id,
            at=at,
            message=message,
        )
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                await self._bus.publish(
                    event_subject(DOMAIN, row.room_id, event), fact, msg_id=fact.id
                )
        except Exception as exc:  # noqa: BLE001 - the message stands; readers catch up
            PUBLISH_FAILURES.labels(target="jetstream").inc()
            log.error(  # noqa: TRY400 - the reason is enough; an outage must not flood tracebacks
                "chat event publish failed",
                event_type=event,
                room_id=row.room_id,
                message_id=row.id,
                error=f"{type(exc).__name__}: {exc}",
            )
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                await self._bus.publish_live(live_subject(row.room_id, LIVE_CHANNEL), message)
        except Exception as exc:  # noqa: BLE001 - live fan-out is at most once anyway
            PUBLISH_FAILURES.labels(target="live").inc()
            log.error(  # noqa: TRY400 - as above
                "chat live publish failed",
                room_id=row.room_id,
                message_id=row.id,
                error=f"{type(exc).__name__}: {exc}",
            )
