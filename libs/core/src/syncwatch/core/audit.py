"""Audit events (spec §7.8): one shape, published by any service on JetStream ``AUDIT``.

A service calls ``AuditPublisher.publish`` for every security-relevant action; the auth service keeps
the durable audit log (a table filled from the stream by its ``auth-audit-store`` consumer) and the
media janitor deletes rows by their retention class (§7.8.3). Each event is also written to the
service's own log (``audit=true``), so the log aggregator has it even while NATS is unreachable.
Never put secrets (passwords, tokens) in ``metadata``.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from syncwatch.core.bus import EventBus, event_subject
from syncwatch.core.clock import Clock
from syncwatch.core.logs import get_logger

log = get_logger(__name__)

AUDIT_DOMAIN = "audit"

TargetType = Literal["room", "user", "video"]


class RetentionClass(enum.StrEnum):
    """How long an audit row is kept (§7.8.3)."""

    SECURITY = "security"
    MODERATION = "moderation"
    ACTIVITY = "activity"


RETENTION_DAYS: Mapping[RetentionClass, int] = {
    RetentionClass.SECURITY: 365,
    RetentionClass.MODERATION: 90,
    RetentionClass.ACTIVITY: 30,
}

# §7.8.3: "Auth events, bans - 1 year; Kicks, content removal - 90 days; Joins, leaves, playback - 30
# days". Permission and ownership changes are security-relevant too, so they are kept a year.
_SECURITY_PREFIXES = ("auth.", "admin.", "permission.")
_SECURITY_EVENTS = frozenset({"participant.banned", "ownership.transferred"})
_MODERATION_EVENTS = frozenset({"participant.kicked", "admin.content_removed"})


def retention_class(event_type: str) -> RetentionClass:
    """The retention class of an event type; unknown types are activity (the shortest)."""
    if event_type in _MODERATION_EVENTS:
        return RetentionClass.MODERATION
    if event_type in _SECURITY_EVENTS or event_type.startswith(_SECURITY_PREFIXES):
        return RetentionClass.SECURITY
    return RetentionClass.ACTIVITY


class AuditEvent(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """One audit event, as spec §7.8.1 defines it (camelCase on the wire)."""

    id: str
    timestamp: datetime
    event_type: str
    actor_id: str | None
    actor_ip: str
    target_type: str
    target_id: str
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)
    success: bool = True

    @property
    def subject(self) -> str:
        """``syncwatch.evt.audit.<target_id>.<event_type>``."""
        return event_subject(AUDIT_DOMAIN, self.target_id, self.event_type)


class AuditPublisher:
    """Publishes audit events on ``AUDIT``, deduplicated by event id."""

    def __init__(self, bus: EventBus, clock: Clock) -> None:
        self._bus = bus
        self._clock = clock

    def event(
        self,
        event_type: str,
        *,
        actor_id: str | None,
        actor_ip: str,
        target_type: TargetType,
        target_id: str,
        metadata: Mapping[str, Any] | None = None,
        success: bool = True,
    ) -> AuditEvent:
        """A new event stamped with the clock's time and a fresh id.

        Raises ValueError when ``target_id`` or ``event_type`` cannot be part of a subject.
        """
        event_subject(AUDIT_DOMAIN, target_id, event_type)
        return AuditEvent(
            id=uuid.uuid4().hex,
            timestamp=datetime.fromtimestamp(self._clock.now(), UTC),
            event_type=event_type,
            actor_id=actor_id,
            actor_ip=actor_ip,
            target_type=target_type,
            target_id=target_id,
            metadata=dict(metadata or {}),
            success=success,
        )

    async def publish(self, event: AuditEvent) -> bool:
        """Log the event and publish it; returns False (and logs an error) when NATS refused it.

        An action that already happened is not undone because its audit record could not be
        shipped: the log line written first is the fallback record.
        """
        log.info(
            f"audit: {event.event_type}",
            audit=True,
            **{k: v for k, v in msgspec.to_builtins(event).items() if k != "metadata"},
            audit_metadata=event.metadata,
        )
        try:
            await self._bus.publish(event.subject, event, msg_id=event.id)
        except Exception as exc:  # noqa: BLE001 - reported loudly, never fails the caller's action
            log.error(  # noqa: TRY400 - the reason is enough; an outage must not flood tracebacks
                "audit publish failed", event_id=event.id, error=f"{type(exc).__name__}: {exc}"
            )
            return False
        return True

    async def record(
        self,
        event_type: str,
        *,
        actor_id: str | None,
        actor_ip: str,
        target_type: TargetType,
        target_id: str,
        metadata: Mapping[str, Any] | None = None,
        success: bool = True,
    ) -> AuditEvent:
        """Build and publish an event in one call; returns it."""
        event = self.event(
            event_type,
            actor_id=actor_id,
            actor_ip=actor_ip,
            target_type=target_type,
            target_id=target_id,
            metadata=metadata,
            success=success,
        )
        await self.publish(event)
        return event
