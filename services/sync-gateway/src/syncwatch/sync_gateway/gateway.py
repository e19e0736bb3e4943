"""The sync gateway: protocol v1 on each browser socket, rooms shared by any number of replicas.

One :class:`Gateway` per process. Each socket is a :class:`Connection` (hello, auth, clock sync,
room join, commands, reports). Members of one room on this replica share a :class:`LocalRoom`,
which subscribes to the room's NATS live subjects while it has members here, delivers commands
in order through a :class:`~syncwatch.sync_gateway.feed.Feed`, keeps the participant list, and
runs the room's timers (owner heartbeat watch, buffering grace). State every replica must agree
on lives in Redis (:class:`~syncwatch.sync_gateway.adapters.live_store.LiveStore`); decisions that
must be made once (a handover, the end of a buffering wait) are claimed there first.
docs/protocol.md describes what a client sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

from syncwatch.core import errors
from syncwatch.core.bus import MSG_ID_HEADER, NatsDependency, event_subject, live_subject
from syncwatch.core.clock import Clock
from syncwatch.core.logs import get_logger
from syncwatch.core.tokens import TokenVerifier, is_guest_token
from syncwatch.protocol import v1
from syncwatch.sync_gateway import metrics
from syncwatch.sync_gateway.adapters.chat_client import ChatClient
from syncwatch.sync_gateway.adapters.live_store import LiveStore
from syncwatch.sync_gateway.adapters.rooms_client import (
    Action,
    MemberInfo,
    RoomInfo,
    RoomsClient,
    Who,
)
from syncwatch.sync_gateway.domain.playback import Intent, apply, lead_time_ms
from syncwatch.sync_gateway.feed import Feed

log = get_logger(__name__)

#: Close codes (RFC 6455 private range for ours).
CLOSE_INCOMPATIBLE = 4000
CLOSE_HELLO_REQUIRED = 4001
CLOSE_AUTH = 4401
CLOSE_REMOVED = 4403
CLOSE_RATE = 4429
CLOSE_IDLE = 4408
CLOSE_RESTART = 1012

SYSTEM = "system"
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
#: Pages of 200 a rejoining member may catch up on before being sent the latest page instead.
CHAT_CATCHUP_PAGES = 5

_COMMAND_FRAMES: dict[str, tuple[str, Action]] = {
    "sync:play": ("PLAY", "play"),
    "sync:pause": ("PAUSE", "play"),
    "sync:seek": ("SEEK", "seek"),
    "sync:rate": ("SET_RATE", "play"),
    "sync:source": ("SOURCE", "change_source"),
}
_report_encoder = msgspec.json.Encoder()
_health_decoder = msgspec.json.Decoder(v1.ParticipantHealth)
_command_decoder = msgspec.json.Decoder(v1.SyncCommand)
_fact_encoder = msgspec.json.Encoder()


class CommandApplied(msgspec.Struct, kw_only=True, rename="camel", frozen=True, omit_defaults=True):
    """``syncwatch.evt.sync.<roomId>.command_applied`` on ``SYNC_EVENTS``: a member's playback
    command as ordered (system commands, such as a pause for a buffering member, are not
    published). ``Nats-Msg-Id`` is the command id."""

    id: str
    type: str
    room_id: str
    sequence_number: int
    member_id: str
    name: str
    target_media_time: float | None = None
    rate: float | None = None
    source_type: str | None = None
    at_server_time: float = 0.0


@dataclass(frozen=True)
class Policy:
    """Timings and limits of the protocol (settings feed them)."""

    hello_timeout_s: float = 10.0
    idle_timeout_s: float = 90.0
    frames_per_second: float = 30.0
    frame_burst: int = 60
    owner_heartbeat_ms: int = 5000
    owner_timeout_ms: int = 15_000
    reclaim_window_ms: int = 60_000
    report_interval_ms: int = 2000
    presence_refresh_s: float = 10.0
    presence_stale_s: float = 35.0
    keep_alive_interval_s: float = 600.0
    tick_s: float = 1.0
    shutdown_reconnect_ms: int = 1500


class TokenBucket:
    """Per-connection frame rate limit."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.at = now

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


RequestId = str | int | None


@dataclass(frozen=True)
class Identity:
    """Who a socket speaks for, from its hello token."""

    who: Who
    name: str
    session_id: str | None = None
    issued_at: int | None = None
    guest_member_id: str | None = None


@dataclass(eq=False)
class Connection:
    """One browser tab's socket after hello."""

    ws: ServerConnection
    id: str
    who: Who
    name: str
    client_id: str
    session_id: str | None
    issued_at: int | None
    guest_member_id: str | None = None
    room: LocalRoom | None = None
    member: MemberInfo | None = None
    last_frame: float = field(default_factory=time.monotonic)

    def send(self, type_: str, data: v1.Payload, request_id: str | int | None = None) -> None:
        """Write one frame now, in order with every other frame to this socket.

        ``broadcast`` writes without waiting for the peer to read (no backpressure): frames are
        small, and a peer that stops reading is closed by the keepalive ping timeout."""
        broadcast([self.ws], v1.encode_frame(type_, data, request_id), text=True)

    def error(self, exc: errors.SyncWatchError, request_id: str | int | None = None) -> None:
        data = v1.ErrorData(
            code=exc.code,
            message=exc.message,
            retry_after=float(exc.retry_after) if exc.retry_after is not None else None,
            current_sequence=exc.extra.get("currentSequence"),
        )
        self.send("room:error", data, request_id)


class LocalRoom:
    """This replica's members of one room, and its view of the room."""

    def __init__(self, gateway: Gateway, room: RoomInfo) -> None:
        self.gw = gateway
        self.info = room
        self.id = room.id
        self.connections: set[Connection] = set()
        self.members: list[MemberInfo] = []
        self.feed: Feed | None = None
        self._subs: list[Subscription] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._participants_task: asyncio.Task[None] | None = None
        self._last_keep_alive = 0.0
        self._last_health_push = 0.0
        self._health_dirty = False
        self.closed = False
        #: Members' recent round-trip times (from their reports), for the command lead time.
        self.rtts_ms: list[float] = []
        #: Whether the room is waiting for a buffering member (refreshed every tick).
        self.buffer_wait = False
        #: The newest playback state this replica knows (saves a read per command).
        self.last_state: v1.PlaybackState | None = None
        self._own_suffix = "." + gateway.server_id

    # ---- lifecycle ----------------------------------------------------------------------

    async def open(self) -> None:
        """Subscribe first, then read where the room is, so nothing falls between the two."""
        try:
            nc = self.gw.nats.nc
        except RuntimeError:  # just started, NATS not connected yet: readiness says so too
            raise errors.Unavailable("the live feed is not connected yet; try again") from None
        self._subs = [
            # ``….sync.<server id>``: the publisher's id, so a replica skips its own commands
            # (it delivered them when it committed them) without decoding them.
            await nc.subscribe(live_subject(self.id, "sync") + ".*", cb=self._on_command),
            await nc.subscribe(live_subject(self.id, "control"), cb=self._on_control),
            await nc.subscribe(live_subject(self.id, "chat"), cb=self._on_chat),
        ]
        self.feed = Feed(
            delivered=await self.gw.store.sequence(self.id),
            fetch_after=lambda after: self.gw.store.commands_after(self.id, after),
            deliver=self._deliver,
            resync=self._resync,
        )
        await self.refresh_members()

    async def close(self) -> None:
        self.closed = True
        for sub in self._subs:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        if self.feed is not None:
            self.feed.close()
        for task in list(self._tasks):
            task.cancel()

    def spawn(self, coro: Awaitable[None], name: str) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("room task failed", task=task.get_name(), error=repr(exc), room=self.id)

    # ---- what arrives over NATS ----------------------------------------------------------

    async def _on_command(self, msg: Msg) -> None:
        if self.feed is None or msg.subject.endswith(self._own_suffix):
            return
        try:
            command = _command_decoder.decode(msg.data)
        except msgspec.DecodeError:
            log.warning("undecodable command on the live subject", room=self.id)
            return
        self.feed.offer(command)

    async def _on_chat(self, msg: Msg) -> None:
        """A stored message (or a tombstone) from the chat service, forwarded as it is."""
        raw = b'{"type":"chat:message","data":' + msg.data + b"}"
        broadcast([c.ws for c in self.connections], raw, text=True)

    def _deliver(self, command: v1.SyncCommand) -> None:
        if self.last_state is None or command.sequence_number > self.last_state.sequence_number:
            self.last_state = command.state
        raw = v1.encode_frame("sync:command", command)
        broadcast([c.ws for c in self.connections], raw, text=True)
        metrics.DELIVERIES.inc(len(self.connections))
        started = self.gw.pending_latency.pop(command.id, None)
        if started is not None:
            metrics.COMMAND_LATENCY.labels(command.type).observe(
                (time.perf_counter() - started) * 1000
            )

    async def _resync(self) -> None:
        snapshot = v1.StateSnapshot(
            state=await self.gw.store.state(self.id), server_time=self.gw.server_now()
        )
        for conn in self.connections:
            conn.send("sync:state_snapshot", snapshot)

    async def _on_control(self, msg: Msg) -> None:
        """Room-wide notices from any replica: ``{"frame": type, "data": {...}}`` or a refresh."""
        try:
            body = msgspec.json.decode(msg.data)
        except msgspec.DecodeError:
            return
        kind = body.get("kind")
        if kind == "refresh":
            await self.refresh_members()
            self.push_state()
            self.schedule_participants()
        elif kind == "frame":
            raw = (
                '{"type":'
                + msgspec.json.encode(body["type"]).decode()
                + ',"data":'
                + msgspec.json.encode(body["data"]).decode()
                + "}"
            )
            broadcast([c.ws for c in self.connections], raw, text=True)
        elif kind == "participants":
            self.schedule_participants()

    # ---- members, state and participants -------------------------------------------------

    async def refresh_members(self) -> None:
        try:
            self.info, self.members = await self.gw.rooms.members(self.id)
        except errors.NotFound:
            await self.gw.end_room(self, "room_ended", "The room has ended.")
            return
        by_id = {m.id: m for m in self.members}
        for conn in list(self.connections):
            member = conn.member and by_id.get(conn.member.id)
            if member is None:
                # Gone from the room (kicked, banned, left elsewhere): the events path says why.
                continue
            conn.member = member

    async def phase(self) -> str:
        if await self.gw.store.flag(self.id, "away"):
            return "OWNER_AWAY"
        state = await self.gw.store.state(self.id)
        if state.source_id is None:
            return "WAITING"
        return "PLAYING" if state.is_playing else "PAUSED"

    def push_state(self) -> None:
        self.spawn(self.send_state(), "room-state")

    async def send_state(self, only: Connection | None = None) -> None:
        """``room:state`` to one connection, or to every one here."""
        phase = await self.phase()
        owner = next((m for m in self.members if m.role == "owner"), None)
        for conn in [only] if only else list(self.connections):
            if conn.member is None:
                continue
            conn.send(
                "room:state",
                v1.RoomStateData(
                    room_id=self.id,
                    code=self.info.code,
                    name=self.info.name,
                    owner_id=self.info.owner_id,
                    owner_member_id=owner.id if owner else "",
                    phase=phase,  # type: ignore[arg-type]
                    playback_control=self.info.playback_control,  # type: ignore[arg-type]
                    buffering_policy=self.info.buffering_policy,  # type: ignore[arg-type]
                    buffering_grace_ms=self.info.buffering_grace_s * 1000,
                    you=conn.member.id,
                    can_control=conn.member.can_control,
                ),
            )

    def schedule_participants(self) -> None:
        """Coalesce bursts of changes into one list (50 ms)."""
        if self._participants_task is None or self._participants_task.done():
            self._participants_task = asyncio.ensure_future(self._push_participants())

    async def _push_participants(self) -> None:
        await asyncio.sleep(0.05)
        frame = await self.participants()
        self._last_health_push = time.monotonic()
        self._health_dirty = False
        raw = v1.encode_frame("room:participants", frame)
        broadcast([c.ws for c in self.connections], raw, text=True)

    async def participants(self) -> v1.Participants:
        now = self.gw.server_now()
        online = await self.gw.store.online_members(self.id, now, self.gw.policy.presence_stale_s)
        buffering = await self.gw.store.buffering(self.id)
        health = await self.gw.store.health(self.id)
        out = []
        for m in self.members:
            h = health.get(m.id)
            out.append(
                v1.Participant(
                    member_id=m.id,
                    name=m.name,
                    kind="user" if m.user_id else "guest",
                    user_id=m.user_id or None,
                    role=m.role,
                    can_control=m.can_control,
                    online=m.id in online,
                    buffering=m.id in buffering,
                    health=_health_decoder.decode(h) if h else None,
                )
            )
        return v1.Participants(participants=out)

    def health_changed(self) -> None:
        self._health_dirty = True

    # ---- timers --------------------------------------------------------------------------

    async def tick(self) -> None:
        """Once a second: presence refresh, health pushes, owner watch, buffering grace."""
        now_mono = time.monotonic()
        if self._health_dirty and now_mono - self._last_health_push >= 2.0:
            self.schedule_participants()
        if now_mono - self._last_keep_alive >= self.gw.policy.keep_alive_interval_s:
            self._last_keep_alive = now_mono
            with contextlib.suppress(errors.SyncWatchError):
                await self.gw.rooms.keep_alive(self.id)
        health = await self.gw.store.health(self.id)
        self.rtts_ms = [_health_decoder.decode(h).rtt_ms for h in health.values()]
        await self.gw.owner_watch(self)
        await self.gw.buffering_deadline(self)


class Gateway:
    """Everything live on one replica."""

    def __init__(
        self,
        *,
        store: LiveStore,
        rooms: RoomsClient,
        chat: ChatClient,
        verifier: TokenVerifier,
        nats: NatsDependency,
        clock: Clock,
        policy: Policy,
        server_id: str,
    ) -> None:
        self.store = store
        self.rooms = rooms
        self.chat = chat
        self.verifier = verifier
        self.nats = nats
        self.clock = clock
        self.policy = policy
        self.server_id = server_id
        self.rooms_here: dict[str, LocalRoom] = {}
        self.connections: set[Connection] = set()
        self.pending_latency: dict[str, float] = {}
        self._room_locks: dict[str, asyncio.Lock] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._subs: list[Subscription] = []
        self.shutting_down = False

    def server_now(self) -> float:
        """The server clock in ms (the clock every ``*ServerTime`` is on)."""
        return self.clock.now() * 1000.0

    # ---- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._ticker(), name="gateway-ticker"))
        self._tasks.append(asyncio.create_task(self._subscribe_events(), name="gateway-events"))

    async def _subscribe_events(self) -> None:
        """Room and auth events (JetStream subjects, read as plain NATS by every replica)."""
        while not self.shutting_down:
            try:
                nc = self.nats.nc
                if nc.is_connected:
                    self._subs = [
                        await nc.subscribe("syncwatch.evt.room.>", cb=self._on_room_event),
                        await nc.subscribe(
                            "syncwatch.evt.auth.*.session_revoked", cb=self._on_session_revoked
                        ),
                    ]
                    return
            except Exception:  # noqa: BLE001 - NATS not up yet; the supervisor reconnects
                log.debug("event subscription not ready yet")
            await asyncio.sleep(0.5)

    async def drain(self) -> None:
        """Graceful shutdown: tell every client to reconnect elsewhere, then close (1012)."""
        self.shutting_down = True
        notice = v1.ServerShutdown(reconnect_in=self.policy.shutdown_reconnect_ms)
        raw = v1.encode_frame("server:shutdown", notice)
        broadcast([c.ws for c in self.connections], raw, text=True)
        await asyncio.gather(
            *(c.ws.close(CLOSE_RESTART, "server restarting") for c in list(self.connections)),
            return_exceptions=True,
        )

    async def stop(self) -> None:
        self.shutting_down = True
        for task in self._tasks:
            task.cancel()
        for sub in self._subs:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        for room in list(self.rooms_here.values()):
            await room.close()
        await self.rooms.close()
        await self.chat.close()

    async def _ticker(self) -> None:
        last_presence = 0.0
        while True:
            await asyncio.sleep(self.policy.tick_s)
            now = time.monotonic()
            refresh = now - last_presence >= self.policy.presence_refresh_s
            if refresh:
                last_presence = now
            for room in list(self.rooms_here.values()):
                try:
                    if refresh:
                        for conn in list(room.connections):
                            if conn.member is not None:
                                await self.store.touch_connection(
                                    room.id,
                                    conn.id,
                                    conn.member.id,
                                    self.server_id,
                                    self.server_now(),
                                )
                        if room.feed is not None:
                            await room.feed.fill(await self.store.sequence(room.id))
                    await room.tick()
                except errors.SyncWatchError as exc:
                    log.warning("room tick failed", room=room.id, code=exc.code)
                except Exception:
                    log.exception("room tick failed", room=room.id)
            for conn in list(self.connections):
                if now - conn.last_frame > self.policy.idle_timeout_s:
                    await conn.ws.close(CLOSE_IDLE, "idle")

    # ---- one socket ---------------------------------------------------------------------

    async def serve(self, ws: ServerConnection) -> None:
        """The whole life of one socket."""
        if self.shutting_down:
            await ws.close(CLOSE_RESTART, "server restarting")
            return
        metrics.CONNECTIONS.inc()
        conn: Connection | None = None
        try:
            conn = await self._hello(ws)
            if conn is None:
                return
            self.connections.add(conn)
            bucket = TokenBucket(
                self.policy.frames_per_second, self.policy.frame_burst, time.monotonic()
            )
            closing: asyncio.Future[None] | None = None
            async for raw in ws:
                received = self.server_now()
                now = time.monotonic()
                conn.last_frame = now
                if closing is not None:
                    continue  # read on until the client's close arrives; refuse the rest
                if not bucket.take(now):
                    metrics.FRAMES_REFUSED.labels("rate").inc()
                    conn.error(
                        errors.RateLimited("too many frames; slow down", retry_after=1),
                        v1.request_id_of(raw),
                    )
                    if bucket.tokens < -self.policy.frame_burst:
                        # Closing while reading on: the client's closing frame sits behind the
                        # frames it already sent, and only reading reaches it.
                        closing = asyncio.ensure_future(ws.close(CLOSE_RATE, "rate limit"))
                    bucket.tokens -= 1
                    continue
                await self._frame(conn, raw, received)
        except ConnectionClosed:
            pass
        finally:
            metrics.CONNECTIONS.dec()
            if conn is not None:
                self.connections.discard(conn)
                await self._leave(conn)

    async def _hello(self, ws: ServerConnection) -> Connection | None:
        try:
            async with asyncio.timeout(self.policy.hello_timeout_s):
                raw = await ws.recv()
        except TimeoutError:
            await ws.close(CLOSE_HELLO_REQUIRED, "hello expected")
            return None
        try:
            kind, payload, request_id = v1.decode_client_frame(raw)
        except v1.FrameError as exc:
            await self._refuse(ws, exc.code, str(exc), CLOSE_HELLO_REQUIRED)
            return None
        if kind != "hello" or not isinstance(payload, v1.ClientHello):
            await self._refuse(
                ws, "hello_required", "the first frame must be hello", CLOSE_HELLO_REQUIRED
            )
            return None
        compatible = v1.is_compatible(payload.protocol_version)
        identity: Identity | None = None
        if compatible:
            try:
                identity = await self._authenticate(payload.token)
            except errors.SyncWatchError as exc:
                await self._refuse(ws, exc.code, exc.message, CLOSE_AUTH)
                return None
        who = identity.who if identity else None
        hello = v1.ServerHello(
            protocol_version=v1.PROTOCOL_VERSION,
            server_time=self.server_now(),
            compatible=compatible,
            upgrade_required=not compatible,
            server_id=self.server_id,
            user_id=who.key if who else "",
            owner_heartbeat_ms=self.policy.owner_heartbeat_ms,
            report_interval_ms=self.policy.report_interval_ms,
            limits=v1.Limits(
                frames_per_second=self.policy.frames_per_second,
                frame_burst=self.policy.frame_burst,
                idle_timeout_ms=int(self.policy.idle_timeout_s * 1000),
            ),
        )
        await ws.send(v1.encode_frame("hello", hello, request_id), text=True)
        if not compatible or who is None:
            await ws.close(CLOSE_INCOMPATIBLE, "protocol version not supported")
            return None
        assert identity is not None
        return Connection(
            ws=ws,
            id=f"k_{uuid.uuid4().hex[:16]}",
            who=identity.who,
            name=identity.name,
            client_id=payload.client_id,
            session_id=identity.session_id,
            issued_at=identity.issued_at,
            guest_member_id=identity.guest_member_id,
        )

    async def _authenticate(self, token: str | None) -> Identity:
        """Who a hello's token names: a signed-in user (access token) or a guest (guest token)."""
        if not token:
            raise errors.Unauthenticated("hello needs a token")
        if is_guest_token(token):
            guest = await self.rooms.verify_guest_token(token)
            return Identity(
                Who(guest_id=guest.guest_id), guest.name, guest_member_id=guest.member_id
            )
        claims = await self.verifier.verify(token)
        return Identity(
            Who(user_id=claims.user_id),
            claims.username,
            session_id=claims.session_id,
            issued_at=claims.issued_at,
        )

    async def _refuse(self, ws: ServerConnection, code: str, message: str, close: int) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(
                v1.encode_frame("room:error", v1.ErrorData(code=code, message=message)), text=True
            )
            await ws.close(close, code)

    async def _frame(self, conn: Connection, raw: str | bytes, received: float) -> None:
        try:
            kind, payload, request_id = v1.decode_client_frame(raw)
        except v1.FrameError as exc:
            metrics.FRAMES_REFUSED.labels(exc.code).inc()
            conn.error(errors.InvalidRequest(str(exc), code=exc.code), exc.request_id)
            return
        metrics.FRAMES.labels(kind).inc()
        try:
            if isinstance(payload, v1.TimePing):
                # Answered first and inline: t2 is taken as late as possible before the write.
                conn.send(
                    "time:pong",
                    v1.TimePong(t0=payload.t0, t1=received, t2=self.server_now()),
                    request_id,
                )
            elif kind in _COMMAND_FRAMES:
                await self._command(conn, kind, payload, request_id)
            else:
                await self._handlers[kind](conn, payload, request_id)
        except errors.SyncWatchError as exc:
            conn.error(exc, request_id)
        except (ConnectionClosed, asyncio.CancelledError):
            raise
        except Exception:  # a dependency failing mid-request (Redis, NATS): answered, not a crash
            log.exception("frame failed", kind=kind)
            conn.error(errors.Unavailable("something we depend on failed; try again"), request_id)

    async def _on_join(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.RoomJoin)
        await self._join(conn, payload, rid)

    async def _on_leave(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        await self._leave(conn)
        conn.send("ack", v1.Ack(), rid)

    async def _on_report(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.SyncReport)
        await self._report(conn, payload)

    async def _on_buffering(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.SyncBuffering)
        await self._buffering(conn, payload, rid)

    async def _on_catchup(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.SyncCatchupRequest)
        await self._catchup(conn, payload.after_sequence)

    async def _on_heartbeat(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        room, member = self._in_room(conn)
        if member.role == "owner":
            await self._owner_seen(room)

    async def _on_reclaim(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        await self._reclaim(conn, rid)

    async def _on_chat_send(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.ChatSend)
        room, member = self._in_room(conn)
        if not member.user_id:
            raise errors.Unauthenticated("sign in to chat; guests can read along")
        message, replayed = await self.chat.post(
            room.id, member.user_id, member.name, payload.content, payload.client_message_id
        )
        conn.send("ack", v1.Ack(message=message, duplicate=replayed), rid)

    async def _on_chat_delete(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.ChatDelete)
        room, member = self._in_room(conn)
        if not member.user_id:
            raise errors.Unauthenticated("sign in to chat")
        message = await self.chat.delete(
            room.id, payload.message_id, member.user_id, member.role == "owner"
        )
        conn.send("ack", v1.Ack(message=message), rid)

    async def _on_chat_history(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        assert isinstance(payload, v1.ChatHistoryRequest)
        room, _ = self._in_room(conn)
        messages, more = await self.chat.page(
            room.id, before_id=payload.before_id, limit=payload.limit
        )
        conn.send("chat:history", v1.ChatHistory(messages=messages, has_more=more), rid)

    async def _on_hello(self, conn: Connection, payload: v1.Payload, rid: RequestId) -> None:
        raise errors.InvalidRequest("hello was already said")

    @property
    def _handlers(
        self,
    ) -> dict[str, Callable[[Connection, v1.Payload, RequestId], Awaitable[None]]]:
        return {
            "hello": self._on_hello,
            "room:join": self._on_join,
            "room:leave": self._on_leave,
            "sync:report": self._on_report,
            "sync:buffering": self._on_buffering,
            "sync:catchup_request": self._on_catchup,
            "owner:heartbeat": self._on_heartbeat,
            "owner:reclaim": self._on_reclaim,
            "chat:message": self._on_chat_send,
            "chat:delete": self._on_chat_delete,
            "chat:history_request": self._on_chat_history,
        }

    def _in_room(self, conn: Connection) -> tuple[LocalRoom, MemberInfo]:
        if conn.room is None or conn.member is None:
            raise errors.InvalidRequest("join a room first (room:join)", code="not_in_room")
        return conn.room, conn.member

    # ---- joining and leaving -------------------------------------------------------------

    async def _local_room(self, room: RoomInfo) -> LocalRoom:
        lock = self._room_locks.setdefault(room.id, asyncio.Lock())
        async with lock:
            local = self.rooms_here.get(room.id)
            if local is None:
                local = LocalRoom(self, room)
                try:
                    await local.open()
                except BaseException:
                    await local.close()  # what it subscribed so far
                    raise
                self.rooms_here[room.id] = local
                metrics.ROOMS.set(len(self.rooms_here))
            return local

    async def _join(self, conn: Connection, req: v1.RoomJoin, request_id: str | int | None) -> None:
        room_info, _ = await self.rooms.members(req.room_code)
        member = await self.rooms.membership(room_info.id, conn.who)
        if member is None:
            raise errors.Forbidden("you are not in this room; join it first", code="not_member")
        if conn.room is not None and conn.room.id != room_info.id:
            await self._leave(conn)
        local = await self._local_room(room_info)
        conn.room, conn.member = local, member
        local.connections.add(conn)
        now = self.server_now()
        await self.store.touch_connection(local.id, conn.id, member.id, self.server_id, now)
        if member.role == "owner":
            await self._owner_seen(local)
        elif await self.store.last_owner_heartbeat(local.id) is None:
            # Nobody has heard from the owner yet: their 15 s start now.
            await self.store.owner_heartbeat(local.id, now)
        conn.send("ack", v1.Ack(), request_id)
        await local.send_state(conn)
        await self._send_playback(conn, local, req.last_sequence)
        await self._send_chat(conn, local, req.last_message_id)
        await self._announce(local, "participants")
        until = (
            await self.store.flag(local.id, f"reclaim:{conn.who.user_id}")
            if conn.who.user_id
            else None
        )
        if until is not None and float(until) > now:
            conn.send(
                "room:offer_ownership",
                v1.OfferOwnership(
                    current_owner_id=local.info.owner_id, expires_at_server_time=float(until)
                ),
            )

    async def _send_playback(self, conn: Connection, room: LocalRoom, last: int | None) -> None:
        state = await self.store.state(room.id)
        if last is not None and last <= state.sequence_number:
            missed = await self.store.commands_after(room.id, last)
            if missed is not None:
                conn.send("sync:catchup", v1.Catchup(commands=missed, state=state))
                return
        conn.send(
            "sync:state_snapshot", v1.StateSnapshot(state=state, server_time=self.server_now())
        )

    async def _send_chat(self, conn: Connection, room: LocalRoom, last_id: str | None) -> None:
        """The latest page on join; exactly what was missed after ``last_id`` on a rejoin."""
        try:
            if last_id is not None:
                try:
                    missed: list[v1.ChatMessage] = []
                    after: str | None = last_id
                    for _ in range(CHAT_CATCHUP_PAGES):
                        page, more = await self.chat.page(room.id, after_id=after, limit=200)
                        missed += page
                        if not more or not page:
                            conn.send(
                                "chat:catchup", v1.ChatCatchup(messages=missed, complete=True)
                            )
                            return
                        after = page[-1].id
                except errors.NotFound:
                    pass  # an id the chat does not know: start from the latest page
            messages, more = await self.chat.page(room.id, limit=50)
            conn.send("chat:history", v1.ChatHistory(messages=messages, has_more=more))
        except errors.SyncWatchError as exc:
            log.warning("chat history unavailable", room=room.id, code=exc.code)
            conn.error(errors.Unavailable("chat is unavailable right now", code="chat_unavailable"))

    async def _leave(self, conn: Connection) -> None:
        room = conn.room
        if room is None:
            return
        conn.room = None
        room.connections.discard(conn)
        member = conn.member
        with contextlib.suppress(Exception):
            await self.store.drop_connection(room.id, conn.id)
            if member is not None and not any(
                c.member and c.member.id == member.id for c in room.connections
            ):
                await self.store.set_buffering(room.id, member.id, False, self.server_now())
            await self._announce(room, "participants")
        if not room.connections:
            self.rooms_here.pop(room.id, None)
            metrics.ROOMS.set(len(self.rooms_here))
            await room.close()

    async def _announce(self, room: LocalRoom, kind: str, **data: Any) -> None:
        """Tell every replica holding this room (this one included)."""
        await self.nats.nc.publish(
            live_subject(room.id, "control"), msgspec.json.encode({"kind": kind, **data})
        )

    async def _frame_to_room(self, room: LocalRoom, type_: str, data: v1.Payload) -> None:
        await self.nats.nc.publish(
            live_subject(room.id, "control"),
            b'{"kind":"frame","type":'
            + msgspec.json.encode(type_)
            + b',"data":'
            + msgspec.json.encode(data)
            + b"}",
        )

    # ---- playback commands ---------------------------------------------------------------

    async def _command(
        self, conn: Connection, kind: str, payload: v1.Payload, request_id: str | int | None
    ) -> None:
        started = time.perf_counter()
        room, member = self._in_room(conn)
        command_type, _ = _COMMAND_FRAMES[kind]
        assert isinstance(payload, v1.CommandOptions)
        # Playback actions share one rule (the room's playbackControl, the owner, grants), and
        # the room service says it for each member in ``canControl``; the gateway refreshes its
        # members on every room event, so no call is needed per command.
        if not member.can_control:
            raise errors.Forbidden(
                f"playback control is {room.info.playback_control} in this room",
                code="not_allowed",
            )
        if command_type == "SOURCE":
            assert isinstance(payload, v1.SyncSource)
            _check_source(payload)
        intent = Intent(
            kind=command_type,  # type: ignore[arg-type]
            issued_by=member.user_id or member.guest_id,
            target_media_time=getattr(payload, "target_media_time", None),
            rate=getattr(payload, "rate", None),
            source_type=getattr(payload, "source_type", None),
            source_id=getattr(payload, "source_id", None),
            idempotency_key=payload.idempotency_key,
        )
        if room.buffer_wait:
            # A person took over while the room waited for a buffering member.
            await self.store.clear_flag(room.id, "buffer_wait")
            room.buffer_wait = False
        done = await self.issue(room, intent, payload.expected_sequence, started)
        if done.command is not None:
            try:
                await self._tell_playback_change(room, member, done.command)
            except Exception:  # noqa: BLE001 - NATS away: the command stands; the chat line is lost
                log.warning("playback event not published", room=room.id)
        conn.send(
            "ack",
            v1.Ack(
                sequence_number=done.answer.sequence_number,
                duplicate=done.status == "duplicate",
                command_id=done.answer.command_id,
            ),
            request_id,
        )

    async def issue(
        self,
        room: LocalRoom,
        intent: Intent,
        expected_sequence: int | None = None,
        started: float | None = None,
    ) -> Any:
        """Order a command in the room and fan it out to every replica."""
        at = self.server_now() + lead_time_ms(room.rtts_ms)
        done = await self.store.commit(
            room.id,
            lambda state, seq: apply(state, intent, at, seq),
            expected_sequence=expected_sequence,
            idempotency_key=intent.idempotency_key,
            known=room.last_state,
        )
        if done.command is not None:
            room.last_state = done.command.state
            if started is not None:
                self.pending_latency[done.command.id] = started
                if len(self.pending_latency) > 10_000:
                    self.pending_latency.clear()
            metrics.COMMANDS.labels(done.command.type).inc()
            await self.nats.nc.publish(
                f"{live_subject(room.id, 'sync')}.{self.server_id}",
                msgspec.json.encode(done.command),
            )
            if room.feed is not None:
                room.feed.offer(done.command)  # our members have it now, in order
        return done

    async def _tell_playback_change(
        self, room: LocalRoom, member: MemberInfo, command: v1.SyncCommand
    ) -> None:
        """Play, pause, seek, rate and source changes appear in the chat (spec §4.4.1): the
        command goes on ``SYNC_EVENTS``, which the chat service consumes (the command id is its
        dedup key). A core publish to the stream's subject (the server stores it; no ack is
        awaited): the command itself is in Redis, and a system message missed while NATS is away
        costs no playback."""
        fact = CommandApplied(
            id=command.id,
            type=command.type,
            room_id=room.id,
            sequence_number=command.sequence_number,
            member_id=member.id,
            name=member.name,
            target_media_time=command.target_media_time,
            rate=command.rate,
            source_type=command.source_type,
            at_server_time=command.at_server_time,
        )
        await self.nats.nc.publish(
            event_subject("sync", room.id, "command_applied"),
            _fact_encoder.encode(fact),
            headers={MSG_ID_HEADER: command.id},
        )

    async def _catchup(self, conn: Connection, after: int) -> None:
        room, _ = self._in_room(conn)
        await self._send_playback(conn, room, after)

    # ---- reports and buffering -----------------------------------------------------------

    async def _report(self, conn: Connection, report: v1.SyncReport) -> None:
        room, member = self._in_room(conn)
        metrics.DRIFT.observe(abs(report.drift_ms))
        metrics.RTT.observe(report.rtt_ms)
        health = v1.ParticipantHealth(
            drift_ms=report.drift_ms,
            rtt_ms=report.rtt_ms,
            state=report.state,
            at_server_time=self.server_now(),
        )
        await self.store.set_health(room.id, member.id, _report_encoder.encode(health))
        room.health_changed()

    async def _buffering(
        self, conn: Connection, req: v1.SyncBuffering, request_id: str | int | None
    ) -> None:
        room, member = self._in_room(conn)
        now = self.server_now()
        await self.store.set_buffering(room.id, member.id, req.buffering, now)
        conn.send("ack", v1.Ack(), request_id)
        await self._announce(room, "participants")
        await self.apply_buffering_policy(room)

    async def apply_buffering_policy(self, room: LocalRoom) -> None:
        """Pause for buffering members, and play again when they are ready (or the grace ends)."""
        policy = room.info.buffering_policy
        waiting = await self.store.buffering(room.id)
        names = {m.id: m.name for m in room.members}
        waiting = {k: v for k, v in waiting.items() if k in names}
        state = await self.store.state(room.id)
        wait_flag = await self.store.flag(room.id, "buffer_wait")
        now = self.server_now()
        if waiting and policy != "never_wait" and state.is_playing and not wait_flag:
            if not await self.store.claim(room.id, "buffer_pause", 2.0):
                return
            until = (
                now + room.info.buffering_grace_s * 1000 if policy == "wait_then_continue" else 0.0
            )
            await self.store.set_flag(room.id, "buffer_wait", str(until), 6 * 3600)
            room.buffer_wait = True
            await self.issue(room, Intent("PAUSE", SYSTEM))
            await self.store.release(room.id, "buffer_pause")
            wait_flag = str(until)
        elif not waiting and wait_flag is not None:
            if await self.store.claim(room.id, "buffer_resume", 2.0):
                await self.store.clear_flag(room.id, "buffer_wait")
                if not state.is_playing:
                    await self.issue(room, Intent("PLAY", SYSTEM))
                await self.store.release(room.id, "buffer_resume")
            wait_flag = None
        until_s = float(wait_flag) if wait_flag else 0.0
        await self._frame_to_room(
            room,
            "room:buffering",
            v1.BufferingNotice(
                waiting_for=list(waiting),
                names=[names[k] for k in waiting],
                policy=policy,  # type: ignore[arg-type]
                wait_until_server_time=until_s or None,
            ),
        )

    async def buffering_deadline(self, room: LocalRoom) -> None:
        """``wait_then_continue``: after the grace, play on without the buffering members."""
        flag = await self.store.flag(room.id, "buffer_wait")
        room.buffer_wait = flag is not None
        if not flag or float(flag) == 0.0 or float(flag) > self.server_now():
            return
        if not await self.store.claim(room.id, "buffer_deadline", 2.0):
            return
        await self.store.clear_flag(room.id, "buffer_wait")
        state = await self.store.state(room.id)
        if not state.is_playing and state.source_id is not None:
            await self.issue(room, Intent("PLAY", SYSTEM))
        await self._frame_to_room(
            room,
            "room:buffering",
            v1.BufferingNotice(
                waiting_for=[],
                names=[],
                policy=room.info.buffering_policy,  # type: ignore[arg-type]
            ),
        )

    # ---- owner presence, handover, reclaim ----------------------------------------------

    async def _owner_seen(self, room: LocalRoom) -> None:
        await self.store.owner_heartbeat(room.id, self.server_now())
        if await self.store.flag(room.id, "away"):
            await self.store.clear_flag(room.id, "away")
            await self._announce(room, "refresh")

    async def owner_watch(self, room: LocalRoom) -> None:
        """After ``owner_timeout_ms`` without a heartbeat: hand over, or pause and say so."""
        last = await self.store.last_owner_heartbeat(room.id)
        now = self.server_now()
        if last is None or now - last < self.policy.owner_timeout_ms:
            return
        if await self.store.flag(room.id, "away"):
            return
        if not await self.store.claim(room.id, "owner_away", self.policy.owner_timeout_ms / 1000):
            return
        info, members = await self.rooms.members(room.id)
        online = await self.store.online_members(room.id, now, self.policy.presence_stale_s)
        owner = next((m for m in members if m.role == "owner"), None)
        if owner is not None and owner.id in online:
            # Connected but silent (an old tab, a paused timer): not away.
            await self.store.owner_heartbeat(room.id, now)
            return
        candidate = _next_owner(info, members, online) if info.handover_enabled else None
        if candidate is not None and owner is not None:
            await self.rooms.transfer(room.id, info.owner_id, candidate.id)
            await self.store.set_flag(
                room.id,
                f"reclaim:{info.owner_id}",
                str(now + self.policy.reclaim_window_ms),
                self.policy.reclaim_window_ms / 1000,
            )
            await self.store.owner_heartbeat(room.id, now)
            await self._frame_to_room(
                room,
                "room:owner_changed",
                v1.OwnerChanged(
                    new_owner_id=candidate.user_id,
                    new_owner_member_id=candidate.id,
                    previous_owner_id=info.owner_id,
                    reason="auto_handover",
                ),
            )
            await self._announce(room, "refresh")
            return
        await self.store.set_flag(room.id, "away", str(last), 24 * 3600)
        state = await self.store.state(room.id)
        if state.is_playing:
            await self.issue(room, Intent("PAUSE", SYSTEM))
        await self._frame_to_room(
            room,
            "room:owner_away",
            v1.OwnerAway(
                owner_id=info.owner_id,
                since_server_time=last,
                message="The owner disconnected. Waiting for them to come back…",
            ),
        )
        await self._announce(room, "refresh")

    async def _reclaim(self, conn: Connection, request_id: str | int | None) -> None:
        room, member = self._in_room(conn)
        user = conn.who.user_id
        until = await self.store.flag(room.id, f"reclaim:{user}") if user else None
        if not user or until is None or float(until) <= self.server_now():
            raise errors.Forbidden("there is no ownership to take back", code="no_offer")
        info, _ = await self.rooms.members(room.id)
        await self.rooms.transfer(room.id, info.owner_id, member.id)
        await self.store.clear_flag(room.id, f"reclaim:{user}")
        await self._owner_seen(room)
        conn.send("ack", v1.Ack(), request_id)
        await self._frame_to_room(
            room,
            "room:owner_changed",
            v1.OwnerChanged(
                new_owner_id=user,
                new_owner_member_id=member.id,
                previous_owner_id=info.owner_id,
                reason="reclaimed",
            ),
        )
        await self._announce(room, "refresh")

    # ---- events from the room and auth services -----------------------------------------

    async def _on_room_event(self, msg: Msg) -> None:
        parts = msg.subject.split(".")
        if len(parts) < 5:
            return
        room = self.rooms_here.get(parts[3])
        if room is None:
            return
        event = ".".join(parts[4:])
        try:
            body = msgspec.json.decode(msg.data)
        except msgspec.DecodeError:
            return
        member_id = body.get("memberId")
        data = body.get("data") or {}
        if event in ("participant.kicked", "participant.banned"):
            reason = "kicked" if event == "participant.kicked" else "banned"
            text = (
                "The owner removed you from the room."
                if reason == "kicked"
                else "The owner banned you from this room."
            )
            await self._remove_member(room, member_id, reason, text, data.get("reason", ""))
        elif event == "participant.left":
            await self._remove_member(room, member_id, "left", "You left the room.", "")
        elif event == "room.deleted":
            await self.end_room(room, "room_ended", "The owner ended the room.")
            return
        await room.refresh_members()
        room.push_state()
        room.schedule_participants()

    async def _remove_member(
        self, room: LocalRoom, member_id: str | None, reason: str, message: str, detail: str
    ) -> None:
        for conn in [c for c in room.connections if c.member and c.member.id == member_id]:
            conn.send("room:removed", v1.Removed(reason=reason, message=message, detail=detail))
            room.connections.discard(conn)
            conn.room = None
            with contextlib.suppress(Exception):
                await self.store.drop_connection(room.id, conn.id)
            await conn.ws.close(CLOSE_REMOVED, reason)

    async def end_room(self, room: LocalRoom, reason: str, message: str) -> None:
        for conn in list(room.connections):
            conn.send("room:removed", v1.Removed(reason=reason, message=message))
            conn.room = None
            await conn.ws.close(CLOSE_REMOVED, reason)
        room.connections.clear()
        self.rooms_here.pop(room.id, None)
        await room.close()

    async def _on_session_revoked(self, msg: Msg) -> None:
        """Logout / password change: close the sockets of those sessions at once."""
        try:
            body = msgspec.json.decode(msg.data)
        except msgspec.DecodeError:
            return
        user_id = body.get("userId")
        sessions = set(body.get("sessionIds") or [])
        not_before = body.get("notBefore")
        for conn in list(self.connections):
            if conn.who.user_id != user_id:
                continue
            if conn.session_id in sessions or (
                not_before is not None and (conn.issued_at or 0) < not_before
            ):
                conn.send(
                    "room:removed",
                    v1.Removed(reason="signed_out", message="You were signed out."),
                )
                await conn.ws.close(CLOSE_AUTH, "signed out")


def _next_owner(info: RoomInfo, members: list[MemberInfo], online: set[str]) -> MemberInfo | None:
    """The delegate when there is one and they are here, else the longest-present signed-in
    member who is online."""
    eligible = [m for m in members if m.role != "owner" and m.user_id and m.id in online]
    if info.handover_order == "explicit_delegate" and info.delegate_member_id:
        delegate = next((m for m in eligible if m.id == info.delegate_member_id), None)
        if delegate is not None:
            return delegate
    return eligible[0] if eligible else None


def _check_source(req: v1.SyncSource) -> None:
    """The cheap checks; whether a link actually plays is the source-validation endpoint's job."""
    if req.source_type == "external" and not req.source_id.lower().startswith(
        ("https://", "http://")
    ):
        raise errors.InvalidRequest(
            "an external source must be an http(s) URL", code="invalid_source"
        )
    if req.source_type == "youtube" and not _YOUTUBE_ID.fullmatch(req.source_id):
        raise errors.InvalidRequest("not a YouTube video id", code="invalid_source")


Handler = Callable[[ServerConnection], Awaitable[None]]
