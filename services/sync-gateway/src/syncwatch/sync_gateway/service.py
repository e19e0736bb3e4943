"""Wiring of the sync-gateway service: settings, dependencies, the `/ws` server.

Owns the browser WebSocket edge (`/ws`, protocol v1 in docs/protocol.md), connections, presence
and live playback state (Redis db 0). Calls the room service over gRPC to authorise; fans commands
out to every replica over NATS. The WebSocket is served by the `websockets` library on its own
port (`SYNC_GATEWAY_WS_PORT`; the edge or Ingress routes `/ws` there); health, readiness and
metrics stay on the HTTP port like every service.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from typing import Annotated

import msgspec
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.typing import Origin

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.core.clock import Clock, SystemClock
from syncwatch.core.logs import get_logger
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.runtime import (
    NatsUrl,
    RedisUrl,
    ServiceDefinition,
    ServiceSettings,
    SharedSettings,
)
from syncwatch.core.settings import SettingsError, load_settings
from syncwatch.core.tokens import GrpcKeySource, KeySource, RevocationStore, TokenVerifier
from syncwatch.protocol.v1 import MAX_FRAME_BYTES
from syncwatch.sync_gateway.adapters.chat_client import ChatClient
from syncwatch.sync_gateway.adapters.live_store import LiveStore
from syncwatch.sync_gateway.adapters.rooms_client import RoomsClient
from syncwatch.sync_gateway.gateway import Gateway, Policy

ENV_PREFIX = "SYNC_GATEWAY_"
log = get_logger(__name__)


class Settings(ServiceSettings, kw_only=True):
    """Settings of the sync-gateway service, from ``SYNC_GATEWAY_*`` variables."""

    redis_url: RedisUrl
    nats_url: NatsUrl
    room_grpc_addr: Annotated[
        str, msgspec.Meta(description="host:port of the room service's gRPC (authorisation).")
    ]
    auth_grpc_addr: Annotated[
        str, msgspec.Meta(description="host:port of the auth service's gRPC (signing keys).")
    ]
    chat_grpc_addr: Annotated[
        str, msgspec.Meta(description="host:port of the chat service's gRPC (chat messages).")
    ]
    ws_host: Annotated[str, msgspec.Meta(description="Address the WebSocket server binds.")] = (
        "0.0.0.0"  # noqa: S104 - containers listen on all interfaces
    )
    ws_port: Annotated[
        int, msgspec.Meta(ge=0, le=65535, description="WebSocket port; the edge routes /ws here.")
    ] = 8090
    server_id: Annotated[
        str,
        msgspec.Meta(
            description="Name of this replica in hello frames and presence (default: host name "
            "and a random suffix)."
        ),
    ] = ""
    frames_per_second: Annotated[
        float, msgspec.Meta(gt=0, description="Frames a socket may send per second (sustained).")
    ] = 30.0
    frame_burst: Annotated[int, msgspec.Meta(ge=1, description="…and in a burst.")] = 60
    idle_timeout_s: Annotated[
        float, msgspec.Meta(gt=0, description="A socket silent this long is closed.")
    ] = 90.0
    owner_timeout_ms: Annotated[
        int,
        msgspec.Meta(ge=1000, description="Owner heartbeat silence before the room is OWNER_AWAY."),
    ] = 15_000


def _origins(shared: SharedSettings) -> list[Origin | None] | None:
    """Browsers must come from an allowed origin; clients without an Origin (integrations) may
    connect too. No list configured ⇒ any origin (development only)."""
    if not shared.allowed_origins:
        return None
    return [*(Origin(o) for o in shared.allowed_origins), None]


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    key_source: KeySource | None = None,
    policy: Policy | None = None,
) -> ServiceDefinition:
    """The sync-gateway service as the runtime runs it (``clock``/``key_source``/``policy`` for tests)."""
    clock = clock or SystemClock()
    try:
        shared = load_settings(SharedSettings, "SYNCWATCH_")
    except SettingsError:
        shared = SharedSettings()
    redis = RedisDependency(settings.redis_url, [RedisDb.LIVE, RedisDb.SESSIONS])
    nats = NatsDependency(
        settings.nats_url,
        client_name="syncwatch-sync-gateway",
        streams=[Stream.ROOM_EVENTS, Stream.SYNC_EVENTS],
    )
    keys = key_source or GrpcKeySource(settings.auth_grpc_addr, clock)
    policy = policy or Policy(
        frames_per_second=settings.frames_per_second,
        frame_burst=settings.frame_burst,
        idle_timeout_s=settings.idle_timeout_s,
        owner_timeout_ms=settings.owner_timeout_ms,
    )
    server_id = (
        settings.server_id
        or (os.environ.get("SYNCWATCH_INSTANCE") or socket.gethostname())
        + f"-{uuid.uuid4().hex[:6]}"
    )
    # It ends the NATS subjects this replica publishes on: one subject token.
    server_id = re.sub(r"[^A-Za-z0-9_-]", "-", server_id)[:64]
    gateway = Gateway(
        store=LiveStore(lambda: redis.client(RedisDb.LIVE)),
        rooms=RoomsClient(settings.room_grpc_addr),
        chat=ChatClient(settings.chat_grpc_addr),
        verifier=TokenVerifier(keys, clock, RevocationStore(redis)),
        nats=nats,
        clock=clock,
        policy=policy,
        server_id=server_id,
    )
    holder: dict[str, Server] = {}

    async def refuse_plain_http(connection: ServerConnection, request: Request) -> Response | None:
        if request.path.split("?", 1)[0] not in ("/ws", "/"):
            return connection.respond(404, "not found\n")
        return None

    async def start() -> None:
        await gateway.start()
        holder["server"] = await serve(
            gateway.serve,
            settings.ws_host,
            settings.ws_port,
            origins=_origins(shared),
            compression=None,
            max_size=MAX_FRAME_BYTES,
            ping_interval=20,
            ping_timeout=20,
            close_timeout=5,
            process_request=refuse_plain_http,
        )
        log.info("websocket listening", port=settings.ws_port, server_id=server_id)

    async def drain() -> None:
        server = holder.get("server")
        if server is not None:
            server.close(close_connections=False)
        await gateway.drain()

    async def stop() -> None:
        server = holder.pop("server", None)
        if server is not None:
            server.close()
            await server.wait_closed()
        await gateway.stop()
        if isinstance(keys, GrpcKeySource):
            await keys.close()

    return ServiceDefinition(
        name="sync-gateway",
        settings=settings,
        dependencies=[redis, nats],
        on_startup=[start],
        on_drain=[drain],
        on_shutdown=[stop],
        extra={"gateway": gateway, "clock": clock},
    )
