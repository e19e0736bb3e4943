import asyncio
import uuid

import msgspec
import pytest
from opentelemetry import trace

from syncwatch.core.bus import (
    EventBus,
    NatsDependency,
    PoisonMessage,
    Stream,
    event_subject,
    parked_subject,
)
from syncwatch.core.telemetry import setup_telemetry

pytestmark = pytest.mark.integration


@pytest.fixture
async def bus(infra):
    dep = NatsDependency(infra.nats_url, client_name="test", streams=[Stream.ROOM_EVENTS])
    await dep.connect()
    await dep.setup()
    yield EventBus(dep), dep
    await dep.close()


async def _wait(predicate, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


async def test_same_msg_id_is_stored_once(bus) -> None:
    event_bus, _ = bus
    room = uuid.uuid4().hex
    subject = event_subject("room", room, "created")
    first = await event_bus.publish(subject, {"n": 1}, msg_id=f"created:{room}")
    again = await event_bus.publish(subject, {"n": 1}, msg_id=f"created:{room}")
    assert again.duplicate is True
    assert again.seq == first.seq


async def test_publish_without_msg_id_is_refused(bus) -> None:
    event_bus, _ = bus
    with pytest.raises(ValueError, match="Nats-Msg-Id"):
        await event_bus.publish(event_subject("room", "r", "created"), b"{}", msg_id="")


async def test_trace_context_travels_to_the_consumer(bus) -> None:
    setup_telemetry("bus-test", {})
    event_bus, _ = bus
    room = uuid.uuid4().hex
    seen: list[tuple[str | None, str]] = []

    async def handler(event) -> None:
        span = trace.get_current_span().get_span_context()
        seen.append((event.headers.get("traceparent"), format(span.trace_id, "032x")))

    consumer = await event_bus.consume(
        stream=Stream.ROOM_EVENTS,
        durable=f"t-{room[:8]}",
        subject=event_subject("room", room, "settings_changed"),
        handler=handler,
    )
    with trace.get_tracer("t").start_as_current_span("producer") as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
        await event_bus.publish(event_subject("room", room, "settings_changed"), b"{}", msg_id=room)
    await _wait(lambda: consumer.processed == 1)
    await consumer.stop()
    ((traceparent, consumer_trace),) = seen
    assert traceparent is not None
    assert trace_id in traceparent
    assert consumer_trace == trace_id


class Joined(msgspec.Struct):
    user: str


async def test_failing_handler_is_retried_then_parked(bus) -> None:
    event_bus, dep = bus
    room = uuid.uuid4().hex
    durable = f"p-{room[:8]}"
    attempts: list[int] = []

    async def handler(event) -> None:
        attempts.append(event.delivered)
        assert event.json(Joined) == Joined(user="ann")
        raise RuntimeError("downstream is broken")

    parked = await dep.js.subscribe(parked_subject("ROOM_EVENTS", durable), stream="PARKED")
    consumer = await event_bus.consume(
        stream=Stream.ROOM_EVENTS,
        durable=durable,
        subject=event_subject("room", room, "participant.joined"),
        handler=handler,
        max_deliver=3,
    )
    await event_bus.publish(
        event_subject("room", room, "participant.joined"), Joined(user="ann"), msg_id=room
    )
    msg = await parked.next_msg(timeout=15)
    await consumer.stop()
    assert attempts == [1, 2, 3]
    assert msgspec.json.decode(msg.data, type=Joined) == Joined(user="ann")
    assert msg.headers["Syncwatch-Error"] == "failed 3 times"
    assert consumer.parked == 1
    assert consumer.processed == 0


async def test_poison_message_is_parked_at_once(bus) -> None:
    event_bus, dep = bus
    room = uuid.uuid4().hex
    durable = f"q-{room[:8]}"
    calls = 0

    async def handler(event) -> None:
        nonlocal calls
        calls += 1
        raise PoisonMessage("not JSON we understand")

    parked = await dep.js.subscribe(parked_subject("ROOM_EVENTS", durable), stream="PARKED")
    consumer = await event_bus.consume(
        stream=Stream.ROOM_EVENTS,
        durable=durable,
        subject=event_subject("room", room, "deleted"),
        handler=handler,
    )
    await event_bus.publish(event_subject("room", room, "deleted"), b"garbage", msg_id=room)
    msg = await parked.next_msg(timeout=10)
    await consumer.stop()
    assert calls == 1
    assert msg.data == b"garbage"


async def test_two_consumers_parking_the_same_event_both_park_it(bus) -> None:
    """Parked copies are deduplicated per durable: a second consumer parking the same stream
    message used to be dropped by JetStream as a duplicate of the first one's."""
    event_bus, dep = bus
    room = uuid.uuid4().hex
    subject = event_subject("room", room, "deleted")

    async def refuse(event) -> None:
        raise PoisonMessage("not for us")

    durables = [f"x-{room[:8]}", f"y-{room[:8]}"]
    parked = [
        await dep.js.subscribe(parked_subject("ROOM_EVENTS", d), stream="PARKED") for d in durables
    ]
    consumers = [
        await event_bus.consume(
            stream=Stream.ROOM_EVENTS, durable=d, subject=subject, handler=refuse
        )
        for d in durables
    ]
    await event_bus.publish(subject, b"garbage", msg_id=room)
    copies = [await sub.next_msg(timeout=10) for sub in parked]
    for consumer in consumers:
        await consumer.stop()
    assert [c.data for c in copies] == [b"garbage", b"garbage"]
    assert [c.parked for c in consumers] == [1, 1]


async def test_acked_message_is_not_redelivered(bus) -> None:
    event_bus, _ = bus
    room = uuid.uuid4().hex
    durable = f"a-{room[:8]}"
    seen: list[int] = []

    async def handler(event) -> None:
        seen.append(event.stream_sequence)

    subject = event_subject("room", room, "created")
    consumer = await event_bus.consume(
        stream=Stream.ROOM_EVENTS, durable=durable, subject=subject, handler=handler, ack_wait_s=1
    )
    await event_bus.publish(subject, b"{}", msg_id=room)
    await _wait(lambda: len(seen) == 1)
    await asyncio.sleep(2.0)  # longer than ack_wait: an unacked message would come back
    await consumer.stop()
    assert len(seen) == 1


async def test_a_stopped_consumer_lets_the_connection_drain_at_once(infra) -> None:
    """nats-py's fetch takes leftovers (late status replies) off the pull subscription's queue
    without marking them done, so draining a connection that still holds the subscription waits
    for ever (here: its 5 s, then a plain close)."""
    dep = NatsDependency(infra.nats_url, client_name="test", streams=[Stream.ROOM_EVENTS])
    await dep.connect()
    await dep.setup()
    event_bus = EventBus(dep)
    room = uuid.uuid4().hex
    seen: list[int] = []

    async def handler(event) -> None:
        seen.append(event.stream_sequence)

    subject = event_subject("room", room, "created")
    consumer = await event_bus.consume(
        stream=Stream.ROOM_EVENTS, durable=f"d-{room[:8]}", subject=subject, handler=handler
    )
    await event_bus.publish(subject, b"{}", msg_id=room)
    await _wait(lambda: len(seen) == 1)
    await asyncio.sleep(2.5)  # a few more fetches, past their 1 s timeouts
    await consumer.stop()
    started = asyncio.get_running_loop().time()
    await dep.close()
    assert asyncio.get_running_loop().time() - started < 2.0
    assert dep.nc.is_closed
