"""The auth service on NATS: session revocations it publishes, the audit log it stores."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec

from syncwatch.auth.adapters.postgres import AuditLogStore
from syncwatch.core.audit import AUDIT_DOMAIN, AuditEvent
from syncwatch.core.bus import (
    ConsumerDependency,
    Event,
    EventBus,
    PoisonMessage,
    Stream,
    event_subject,
)
from syncwatch.core.clock import Clock
from syncwatch.core.logs import get_logger
from syncwatch.core.postgres import PostgresDependency

log = get_logger(__name__)


class SessionRevoked(msgspec.Struct, kw_only=True, rename="camel", frozen=True):
    """``syncwatch.evt.auth.<user_id>.session_revoked``: close the sockets of these sessions.

    ``notBefore`` (Unix seconds) is set when every session of the user issued before it ended
    (password change); a gateway may then close every socket of the user whose token predates it.
    """

    id: str
    user_id: str
    session_ids: list[str]
    reason: str
    not_before: int | None = None
    at: datetime


class SessionEvents:
    """Publishes session revocations; a failure is logged, never undoes the revocation itself."""

    def __init__(self, bus: EventBus, clock: Clock) -> None:
        self._bus = bus
        self._clock = clock

    async def session_revoked(
        self,
        user_id: str,
        session_ids: list[str],
        reason: str,
        *,
        not_before: int | None = None,
    ) -> SessionRevoked:
        """Announce that these sessions of ``user_id`` ended."""
        event = SessionRevoked(
            id=uuid.uuid4().hex,
            user_id=user_id,
            session_ids=session_ids,
            reason=reason,
            not_before=not_before,
            at=datetime.fromtimestamp(self._clock.now(), UTC),
        )
        subject = event_subject("auth", user_id, "session_revoked")
        try:
            await self._bus.publish(subject, event, msg_id=f"session_revoked:{event.id}")
        except Exception as exc:  # noqa: BLE001 - Redis already refuses the tokens; sockets age out
            log.error(  # noqa: TRY400 - the reason is enough; an outage must not flood tracebacks
                "session_revoked not published",
                user_id=user_id,
                error=f"{type(exc).__name__}: {exc}",
            )
        return event


class AuditStoreConsumer(ConsumerDependency):
    """The durable consumer ``auth-audit-store``: every service's audit events into ``audit_log``.

    A dependency of the service, so it starts once NATS and PostgreSQL are there and readiness says
    whether it runs. Storing is idempotent by event id; an event that does not decode is parked.
    Failures (PostgreSQL away) are retried with backoff for about an hour before parking.
    """

    name = "audit_store"
    STREAM = Stream.AUDIT
    DURABLE = "auth-audit-store"
    SUBJECT = f"syncwatch.evt.{AUDIT_DOMAIN}.>"

    def __init__(self, bus: EventBus, store: AuditLogStore, postgres: PostgresDependency) -> None:
        super().__init__(bus, after=lambda: postgres.pool)
        self._store = store

    async def handle(self, event: Event) -> None:
        try:
            audit = event.json(AuditEvent)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise PoisonMessage(f"not an audit event: {exc}") from exc
        await self._store.store(audit)
