"""The audit log: auth's events reach the table, with retention classes, each stored once."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
import pytest

from syncwatch.core.audit import AuditPublisher
from syncwatch.core.bus import EventBus

pytestmark = pytest.mark.integration


async def _rows(infra, where: str, *args) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(infra.postgres_url)
    try:
        return await conn.fetch(f"SELECT * FROM auth.audit_log WHERE {where}", *args)
    finally:
        await conn.close()


async def _eventually(infra, where: str, *args, count: int = 1, timeout: float = 15) -> list:
    async with asyncio.timeout(timeout):
        while True:
            rows = await _rows(infra, where, *args)
            if len(rows) >= count:
                return rows
            await asyncio.sleep(0.1)


async def test_sign_in_events_are_stored_with_their_retention_class(auth, infra) -> None:
    ip = auth.next_ip()
    async with auth.client(ip) as client:
        name = auth.new_name()
        session = await auth.register(client, name)
        user_id = session["user"]["id"]
        bad = await client.post("/api/auth/login", json={"login": name, "password": "nope nope"})
        assert bad.status_code == 401
        good = await client.post("/api/auth/login", json={"login": name, "password": auth.password})
        await client.post(
            "/api/auth/password",
            headers=auth.bearer(good.json()),
            json={"currentPassword": auth.password, "newPassword": "another fine secret"},
        )
        await client.post("/api/auth/logout")

    rows = await _eventually(infra, "target_id = $1", user_id, count=5)
    seen = sorted((r["event_type"], r["success"]) for r in rows)
    assert seen == [
        ("auth.login", True),
        ("auth.login", True),
        ("auth.login_failed", False),
        ("auth.logout", True),
        ("auth.password_changed", True),
    ]
    assert {r["retention_class"] for r in rows} == {"security"}
    assert {r["actor_ip"] for r in rows} == {ip}
    failed = next(r for r in rows if r["event_type"] == "auth.login_failed")
    assert failed["actor_id"] is None
    # Nothing secret in the log.
    for row in rows:
        assert auth.password not in row["metadata"]
        assert "another fine secret" not in row["metadata"]


async def test_a_redelivered_event_is_stored_once(auth, infra) -> None:
    nats = next(d for d in auth.definition.dependencies if d.name == "nats")
    bus = EventBus(nats)
    publisher = AuditPublisher(bus, auth.clock)
    target = f"r_{uuid.uuid4().hex[:12]}"
    event = publisher.event(
        "participant.kicked",
        actor_id="u_owner",
        actor_ip="10.9.9.9",
        target_type="user",
        target_id=target,
        metadata={"roomId": "r_1", "reason": "spam"},
    )
    # Two copies under different message ids, so JetStream's dedup does not hide the second:
    # what the consumer sees after a redelivery or a publisher retry past the dedup window.
    await bus.publish(event.subject, event, msg_id=event.id)
    await bus.publish(event.subject, event, msg_id=f"{event.id}-again")
    marker = publisher.event(
        "participant.joined",
        actor_id=None,
        actor_ip="10.9.9.9",
        target_type="user",
        target_id=target,
    )
    await publisher.publish(marker)
    await _eventually(infra, "id = $1", marker.id)
    rows = await _rows(infra, "target_id = $1 ORDER BY event_type", target)
    assert [(r["event_type"], r["retention_class"]) for r in rows] == [
        ("participant.joined", "activity"),
        ("participant.kicked", "moderation"),
    ]
    assert rows[1]["id"] == event.id
    assert json.loads(rows[1]["metadata"]) == {"roomId": "r_1", "reason": "spam"}
