"""The room service on NATS: room events on ``ROOM_EVENTS`` and the same facts as audit events.

Subjects are ``syncwatch.evt.room.<roomId>.<event>``; each carries a ``Nats-Msg-Id`` derived from
the fact itself (room, event, member — or the invite for ``invite.sent`` —, time of the change), so
a retried publish of one change is stored once. A publish failure is logged, never undoes the change (like the audit publisher).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from syncwatch.core.audit import AuditPublisher
from syncwatch.core.bus import EventBus, event_subject
from syncwatch.core.logs import get_logger

log = get_logger(__name__)
DOMAIN = "room"


class RoomEvent(msgspec.Struct, kw_only=True, rename="camel", frozen=True, omit_defaults=True):
    """One fact about a room, as published on ``ROOM_EVENTS``."""

    id: str
    type: str
    room_id: str
    code: str
    at: dt.datetime
    actor_id: str | None = None
    member_id: str | None = None
    data: dict[str, Any] = msgspec.field(default_factory=dict)


def event_id(room_id: str, event: str, at: dt.datetime, member_id: str | None = None) -> str:
    """A stable id for one change: the same change always gets the same id."""
    ms = int(at.timestamp() * 1000)
    return f"{room_id}.{event}.{member_id or '-'}.{ms}"


class RoomEvents:
    """Publishes room events and their audit records."""

    def __init__(self, bus: EventBus, audit: AuditPublisher) -> None:
        self._bus = bus
        self._audit = audit

    async def emit(
        self,
        event: str,
        *,
        room_id: str,
        code: str,
        at: dt.datetime,
        actor_id: str | None,
        actor_ip: str,
        member_id: str | None = None,
        data: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> RoomEvent:
        """Publish ``event`` on ``ROOM_EVENTS`` and as an audit event; failures are only logged.

        ``key`` names what changed when that is not the member (an invite): one member may cause
        several such changes at one instant, and each needs its own message id.
        """
        message = RoomEvent(
            id=event_id(room_id, event, at, key or member_id),
            type=event,
            room_id=room_id,
            code=code,
            at=at,
            actor_id=actor_id,
            member_id=member_id,
            data=data or {},
        )
        try:
            await self._bus.publish(
                event_subject(DOMAIN, room_id, event), message, msg_id=message.id
            )
        except Exception as exc:  # noqa: BLE001 - the change stands; the failure is reported
            log.error(  # noqa: TRY400 - the reason is enough
                "room event publish failed", event_type=event, room_id=room_id, error=repr(exc)
            )
        metadata: dict[str, Any] = {"code": code, **(data or {})}
        if member_id:
            metadata["memberId"] = member_id
        await self._audit.record(
            event,
            actor_id=actor_id,
            actor_ip=actor_ip,
            target_type="room",
            target_id=room_id,
            metadata=metadata,
        )
        return message
