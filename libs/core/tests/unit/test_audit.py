"""Audit events: their wire shape and retention classes (spec §7.8)."""

from datetime import UTC, datetime

import msgspec
import pytest

from syncwatch.core.audit import (
    RETENTION_DAYS,
    AuditEvent,
    AuditPublisher,
    RetentionClass,
    retention_class,
)
from syncwatch.core.clock import ManualClock


@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        ("auth.login", RetentionClass.SECURITY),
        ("auth.login_failed", RetentionClass.SECURITY),
        ("auth.password_changed", RetentionClass.SECURITY),
        ("participant.banned", RetentionClass.SECURITY),
        ("admin.user_banned", RetentionClass.SECURITY),
        ("permission.granted", RetentionClass.SECURITY),
        ("participant.kicked", RetentionClass.MODERATION),
        ("admin.content_removed", RetentionClass.MODERATION),
        ("participant.joined", RetentionClass.ACTIVITY),
        ("playback.paused", RetentionClass.ACTIVITY),
        ("room.created", RetentionClass.ACTIVITY),
        ("something.new", RetentionClass.ACTIVITY),
    ],
)
def test_retention_classes(event_type: str, expected: RetentionClass) -> None:
    assert retention_class(event_type) == expected


def test_retention_days() -> None:
    assert dict(RETENTION_DAYS) == {"security": 365, "moderation": 90, "activity": 30}


def test_event_is_camel_case_and_stamped_by_the_clock() -> None:
    publisher = AuditPublisher(bus=None, clock=ManualClock(start=1_700_000_000))  # type: ignore[arg-type]
    event = publisher.event(
        "auth.login",
        actor_id="u_1",
        actor_ip="10.0.0.1",
        target_type="user",
        target_id="u_1",
        metadata={"method": "password"},
    )
    wire = msgspec.json.decode(msgspec.json.encode(event))
    assert set(wire) == {
        "id",
        "timestamp",
        "eventType",
        "actorId",
        "actorIp",
        "targetType",
        "targetId",
        "metadata",
        "success",
    }
    assert wire["timestamp"] == "2023-11-14T22:13:20Z"
    assert event.subject == "syncwatch.evt.audit.u_1.auth.login"
    back = msgspec.json.decode(msgspec.json.encode(event), type=AuditEvent)
    assert back.timestamp == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_target_must_fit_a_subject() -> None:
    publisher = AuditPublisher(bus=None, clock=ManualClock())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="subject token"):
        publisher.event(
            "auth.login", actor_id=None, actor_ip="x", target_type="user", target_id="a.b"
        )
