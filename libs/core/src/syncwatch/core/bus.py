"""NATS and JetStream: the subjects and streams of DESIGN.md §3, and the habits every publisher and
consumer must keep — ``Nats-Msg-Id`` on every JetStream publish (server-side dedup), W3C
``traceparent`` in headers (one trace across services), explicit acks, idempotent handlers, and
poison messages parked on ``syncwatch.parked.<stream>.<durable>`` instead of redelivered forever.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import enum
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import msgspec
import nats
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from syncwatch.core.deps import Dependency
from syncwatch.core.logs import get_logger

log = get_logger(__name__)
tracer = trace.get_tracer("syncwatch.core.bus")

MSG_ID_HEADER = "Nats-Msg-Id"
ERROR_HEADER = "Syncwatch-Error"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class Stream(enum.StrEnum):
    """JetStream streams; each owns a subject space."""

    ROOM_EVENTS = "ROOM_EVENTS"
    CHAT_EVENTS = "CHAT_EVENTS"
    MEDIA_EVENTS = "MEDIA_EVENTS"
    AUTH_EVENTS = "AUTH_EVENTS"
    SYNC_EVENTS = "SYNC_EVENTS"
    AUDIT = "AUDIT"
    TRANSCODE_JOBS = "TRANSCODE_JOBS"
    PARKED = "PARKED"


TRANSCODE_JOB_SUBJECT = "syncwatch.job.transcode"
DAY_S = 86_400


@dataclass(frozen=True)
class StreamSpec:
    """How a stream is declared. Declaration is idempotent: add, or update when it exists."""

    name: Stream
    subjects: tuple[str, ...]
    retention: api.RetentionPolicy = api.RetentionPolicy.LIMITS
    max_age_s: float = 7 * DAY_S
    duplicate_window_s: float = 120.0

    def config(self) -> api.StreamConfig:
        """The nats-py stream configuration."""
        return api.StreamConfig(
            name=str(self.name),
            subjects=list(self.subjects),
            retention=self.retention,
            storage=api.StorageType.FILE,
            max_age=self.max_age_s,
            duplicate_window=self.duplicate_window_s,
        )


STREAMS: Mapping[Stream, StreamSpec] = {
    Stream.ROOM_EVENTS: StreamSpec(Stream.ROOM_EVENTS, ("syncwatch.evt.room.>",)),
    Stream.CHAT_EVENTS: StreamSpec(Stream.CHAT_EVENTS, ("syncwatch.evt.chat.>",)),
    Stream.MEDIA_EVENTS: StreamSpec(Stream.MEDIA_EVENTS, ("syncwatch.evt.media.>",)),
    # Session revocations (logout, password change): gateways close the sockets they name.
    Stream.AUTH_EVENTS: StreamSpec(Stream.AUTH_EVENTS, ("syncwatch.evt.auth.>",), max_age_s=DAY_S),
    # Playback commands as applied (the gateway; the chat service turns them into system
    # messages). Published without waiting for the ack: the command's truth is in Redis.
    Stream.SYNC_EVENTS: StreamSpec(Stream.SYNC_EVENTS, ("syncwatch.evt.sync.>",), max_age_s=DAY_S),
    # The audit log's durable home is the auth service's table; the stream only has to outlive
    # an auth outage.
    Stream.AUDIT: StreamSpec(Stream.AUDIT, ("syncwatch.evt.audit.>",), max_age_s=30 * DAY_S),
    Stream.TRANSCODE_JOBS: StreamSpec(
        Stream.TRANSCODE_JOBS,
        (TRANSCODE_JOB_SUBJECT,),
        retention=api.RetentionPolicy.WORK_QUEUE,
        max_age_s=3 * DAY_S,
    ),
    Stream.PARKED: StreamSpec(Stream.PARKED, ("syncwatch.parked.>",), max_age_s=30 * DAY_S),
}


def _token(value: str, what: str) -> str:
    if not _TOKEN.match(value):
        raise ValueError(f"{what} {value!r} is not a valid subject token")
    return value


def live_subject(room_id: str, channel: str) -> str:
    """Core-NATS subject for live fan-out to every gateway replica holding members of a room."""
    return f"syncwatch.live.room.{_token(room_id, 'room id')}.{_token(channel, 'channel')}"


def event_subject(domain: str, entity_id: str, event: str) -> str:
    """JetStream subject ``syncwatch.evt.<domain>.<id>.<event>``; ``event`` may be dotted."""
    if not _EVENT_NAME.match(event):
        raise ValueError(f"event name {event!r} must be lower_snake words joined by dots")
    return f"syncwatch.evt.{_token(domain, 'domain')}.{_token(entity_id, 'id')}.{event}"


def parked_subject(stream: str, durable: str) -> str:
    """Where a consumer parks messages it cannot process."""
    return f"syncwatch.parked.{_token(stream, 'stream')}.{_token(durable, 'durable')}"


def encode(payload: bytes | msgspec.Struct | Mapping[str, Any]) -> bytes:
    """Bytes pass through; Structs and mappings become JSON."""
    return payload if isinstance(payload, bytes) else msgspec.json.encode(payload)


class PoisonMessage(Exception):
    """Raised by a handler for a message that can never be processed: park it, do not retry."""


@dataclass(frozen=True)
class Event:
    """A JetStream message as a handler sees it."""

    subject: str
    data: bytes
    headers: Mapping[str, str]
    msg_id: str | None
    delivered: int
    stream_sequence: int

    def json(self, type_: type[Any] = dict) -> Any:
        """Decode the payload as JSON into ``type_`` (a msgspec Struct or a builtin)."""
        return msgspec.json.decode(self.data, type=type_)


Handler = Callable[[Event], Awaitable[None]]


@dataclass
class Consumer:
    """A running durable pull consumer; ``stop()`` ends its loop."""

    stream: str
    durable: str
    task: asyncio.Task[None] | None = None
    processed: int = 0
    parked: int = 0
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _sub: JetStreamContext.PullSubscription | None = None

    async def stop(self) -> None:
        """Finish the message in hand, then stop fetching."""
        self._stopping.set()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self._sub is not None:
            # nats-py's fetch takes leftovers off the subscription's queue without marking them
            # done, so a connection still holding it never drains (close() waited its whole 5 s,
            # then closed without draining). The durable consumer itself stays on the server.
            sub, self._sub = self._sub, None
            with contextlib.suppress(Exception):
                await sub.unsubscribe()


class NatsDependency(Dependency):
    """A NATS connection with JetStream; declares the streams the service needs on first connect."""

    name = "nats"

    def __init__(self, url: str, *, client_name: str, streams: Iterable[Stream] = ()) -> None:
        self.url = url
        self.client_name = client_name
        self.streams = tuple(streams)
        self._nc: NatsClient | None = None

    @property
    def nc(self) -> NatsClient:
        """The connection; only valid once connected."""
        if self._nc is None:
            raise RuntimeError("NATS is not connected yet")
        return self._nc

    @property
    def js(self) -> JetStreamContext:
        """The JetStream context of the connection."""
        return self.nc.jetstream(timeout=5)

    async def connect(self) -> None:
        """Connect; once connected, nats-py reconnects by itself for as long as the service lives."""

        async def on_error(exc: Exception) -> None:
            log.warning("nats error", error=str(exc))

        async def on_disconnect() -> None:
            log.warning("nats disconnected")

        async def on_reconnect() -> None:
            log.info("nats reconnected")

        self._nc = await nats.connect(
            self.url,
            name=self.client_name,
            connect_timeout=2,
            allow_reconnect=True,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            error_cb=on_error,
            disconnected_cb=on_disconnect,
            reconnected_cb=on_reconnect,
        )

    async def setup(self) -> None:
        """Declare the streams this service uses, and PARKED, where any consumer parks poison."""
        for stream in dict.fromkeys((*self.streams, Stream.PARKED)):
            await ensure_stream(self.js, STREAMS[stream])

    async def check(self) -> None:
        """Connected, and JetStream answers."""
        if not self.nc.is_connected:
            raise ConnectionError("not connected to NATS")
        await self.js.account_info()

    async def close(self) -> None:
        """Drain the connection, so consumers finish the message in hand."""
        if self._nc is not None and not self._nc.is_closed:
            try:
                await asyncio.wait_for(self._nc.drain(), 5)
            except Exception:  # noqa: BLE001 - a dead server must not block shutdown
                await self._nc.close()


async def ensure_stream(js: JetStreamContext, spec: StreamSpec) -> None:
    """Create the stream, or bring an existing one to the declared configuration."""
    try:
        await js.stream_info(str(spec.name))
    except NotFoundError:
        await js.add_stream(spec.config())
        log.info("stream created", stream=str(spec.name))
    else:
        await js.update_stream(spec.config())


class EventBus:
    """Publishing and consuming with the repo's habits built in."""

    def __init__(self, nats_dep: NatsDependency) -> None:
        self._dep = nats_dep

    async def publish(
        self,
        subject: str,
        payload: bytes | msgspec.Struct | Mapping[str, Any],
        *,
        msg_id: str,
        headers: Mapping[str, str] | None = None,
    ) -> api.PubAck:
        """Publish to JetStream, deduplicated by ``msg_id`` and carrying the current trace."""
        if not msg_id:
            raise ValueError("every JetStream publish needs a Nats-Msg-Id")
        with tracer.start_as_current_span(f"publish {subject}", kind=SpanKind.PRODUCER):
            hdrs = dict(headers or {})
            hdrs[MSG_ID_HEADER] = msg_id
            propagate.inject(hdrs)
            return await self._dep.js.publish(subject, encode(payload), headers=hdrs)

    async def publish_live(
        self, subject: str, payload: bytes | msgspec.Struct | Mapping[str, Any]
    ) -> None:
        """Core-NATS publish for live fan-out (at most once, no storage)."""
        hdrs: dict[str, str] = {}
        propagate.inject(hdrs)
        await self._dep.nc.publish(subject, encode(payload), headers=hdrs or None)

    async def consume(
        self,
        *,
        stream: Stream,
        durable: str,
        subject: str,
        handler: Handler,
        max_deliver: int = 5,
        ack_wait_s: float = 30.0,
        batch: int = 16,
        fetch_timeout_s: float = 1.0,
    ) -> Consumer:
        """Run a durable pull consumer. The handler must be idempotent (redelivery happens).

        Returning acks the message; raising naks it for redelivery with backoff; after
        ``max_deliver`` attempts, or at once on PoisonMessage, it is parked and terminated.
        """
        _token(durable, "durable")
        config = api.ConsumerConfig(
            durable_name=durable,
            ack_policy=api.AckPolicy.EXPLICIT,
            ack_wait=ack_wait_s,
            # We park before the server gives up, so one extra delivery is the parking attempt.
            max_deliver=max_deliver + 1,
            filter_subject=subject,
        )
        sub = await self._dep.js.pull_subscribe(
            subject, durable=durable, stream=str(stream), config=config
        )
        consumer = Consumer(stream=str(stream), durable=durable, _sub=sub)

        async def loop() -> None:
            while not consumer._stopping.is_set():
                try:
                    msgs = await sub.fetch(batch, timeout=fetch_timeout_s)
                except TimeoutError:
                    continue
                except Exception as exc:  # noqa: BLE001 - NATS away: keep trying, visibly
                    log.warning("fetch failed", durable=durable, error=str(exc))
                    await asyncio.sleep(1)
                    continue
                for msg in msgs:
                    await self._handle(consumer, msg, handler, max_deliver)

        consumer.task = asyncio.create_task(loop(), name=f"consumer-{durable}")
        return consumer

    async def _handle(
        self, consumer: Consumer, msg: Msg, handler: Handler, max_deliver: int
    ) -> None:
        headers = dict(msg.headers or {})
        meta = msg.metadata
        event = Event(
            subject=msg.subject,
            data=msg.data,
            headers=headers,
            msg_id=headers.get(MSG_ID_HEADER),
            delivered=meta.num_delivered,
            stream_sequence=meta.sequence.stream,
        )
        ctx = propagate.extract(headers)
        with tracer.start_as_current_span(
            f"consume {msg.subject}", context=ctx, kind=SpanKind.CONSUMER
        ):
            try:
                if event.delivered > max_deliver:
                    raise PoisonMessage(f"failed {max_deliver} times")  # noqa: TRY301 - one path to parking
                await handler(event)
            except PoisonMessage as exc:
                await self._park(consumer, msg, headers, str(exc))
            except Exception as exc:  # noqa: BLE001 - any handler failure means: try again later
                log.warning(
                    "handler failed; will retry",
                    durable=consumer.durable,
                    subject=msg.subject,
                    delivered=event.delivered,
                    error=f"{type(exc).__name__}: {exc}",
                )
                await msg.nak(delay=min(0.2 * 2**event.delivered, 30.0))
            else:
                await msg.ack()
                consumer.processed += 1

    async def _park(self, consumer: Consumer, msg: Msg, headers: dict[str, str], why: str) -> None:
        parked_headers = {
            **headers,
            ERROR_HEADER: why[:256],
            "Syncwatch-Original-Subject": msg.subject,
            # Parking is itself deduplicated: a crash between park and term parks once. Per
            # durable: two consumers parking the same event must not drop each other's copy.
            MSG_ID_HEADER: (
                f"parked:{consumer.stream}:{consumer.durable}:{msg.metadata.sequence.stream}"
            ),
        }
        await self._dep.js.publish(
            parked_subject(consumer.stream, consumer.durable), msg.data, headers=parked_headers
        )
        await msg.term()
        consumer.parked += 1
        log.error("message parked", durable=consumer.durable, subject=msg.subject, reason=why)


class ConsumerDependency(Dependency):
    """A durable consumer run as a service dependency: it starts once NATS (and whatever
    ``after`` reads: it raises, and the supervisor retries, until that is there) is up, and
    readiness says whether its loop runs. Subclasses name the stream, the durable and the subject,
    and handle each event (idempotently: redelivery happens; see :meth:`EventBus.consume`)."""

    STREAM: ClassVar[Stream]
    DURABLE: ClassVar[str]
    SUBJECT: ClassVar[str]
    #: Attempts before parking; with the bus's backoff about an hour of retries.
    MAX_DELIVER: ClassVar[int] = 120
    BATCH: ClassVar[int] = 16

    def __init__(self, bus: EventBus, *, after: Callable[[], object] = lambda: None) -> None:
        self._bus = bus
        self._after = after
        self._consumer: Consumer | None = None

    @abc.abstractmethod
    async def handle(self, event: Event) -> None:
        """Process one event; raise :class:`PoisonMessage` to park it, anything else to retry."""

    async def connect(self) -> None:
        """Start consuming (``after`` raises, and this is retried, until what it needs is there)."""
        self._after()
        self._consumer = await self._bus.consume(
            stream=self.STREAM,
            durable=self.DURABLE,
            subject=self.SUBJECT,
            handler=self.handle,
            max_deliver=self.MAX_DELIVER,
            batch=self.BATCH,
        )

    async def check(self) -> None:
        """The consumer loop is running."""
        task = self._consumer.task if self._consumer else None
        if task is None or task.done():
            raise RuntimeError(f"the {self.name} consumer is not running")

    async def close(self) -> None:
        """Stop after the message in hand."""
        if self._consumer is not None:
            await self._consumer.stop()
