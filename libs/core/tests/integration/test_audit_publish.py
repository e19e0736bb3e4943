"""AuditPublisher on real JetStream: one stored message per event, deduplicated by its id."""

import uuid

import msgspec
import pytest

from syncwatch.core.audit import AuditEvent, AuditPublisher
from syncwatch.core.bus import EventBus, NatsDependency, Stream
from syncwatch.core.clock import ManualClock

pytestmark = pytest.mark.integration


async def test_event_lands_on_audit_once(infra) -> None:
    dep = NatsDependency(infra.nats_url, client_name="audit-test", streams=[Stream.AUDIT])
    await dep.connect()
    await dep.setup()
    try:
        publisher = AuditPublisher(EventBus(dep), ManualClock())
        target = uuid.uuid4().hex
        event = publisher.event(
            "auth.logout",
            actor_id=target,
            actor_ip="10.1.2.3",
            target_type="user",
            target_id=target,
        )
        assert await publisher.publish(event)
        assert await publisher.publish(event)  # a retry of the same event
        sub = await dep.js.subscribe(f"syncwatch.evt.audit.{target}.>", ordered_consumer=True)
        msg = await sub.next_msg(timeout=5)
        assert msg.headers["Nats-Msg-Id"] == event.id
        assert msgspec.json.decode(msg.data, type=AuditEvent) == event
        with pytest.raises(TimeoutError):
            await sub.next_msg(timeout=0.3)
        await sub.unsubscribe()
    finally:
        await dep.close()
