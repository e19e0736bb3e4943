"""Every SyncWatch service as its own process, behind one origin, on embedded or given infrastructure.

Embedded mode (the default of ``make dev``) starts real PostgreSQL, Redis and NATS under the stack's
home directory. Split mode runs the same services against infrastructure given by URL, with any number
of sync-gateway replicas, and lets tests kill and restart single instances.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import aiohttp

from syncwatch.core.logs import get_logger
from syncwatch.devstack.edge import Edge, Route
from syncwatch.devstack.infra import (
    EmbeddedNats,
    EmbeddedPostgres,
    EmbeddedRedis,
    EmbeddedServer,
    probe_nats,
    probe_postgres,
    probe_redis,
)
from syncwatch.devstack.ports import free_port
from syncwatch.devstack.process import child_setup, terminate

log = get_logger(__name__)


@dataclass(frozen=True)
class ServiceKind:
    """A deployable: its name, env prefix and what the edge routes to it."""

    name: str
    http_prefixes: tuple[str, ...] = ()
    websocket: bool = False

    @property
    def module(self) -> str:
        return f"syncwatch.{self.name.replace('-', '_')}"

    @property
    def env_prefix(self) -> str:
        return self.name.replace("-", "_").upper() + "_"


SERVICES: tuple[ServiceKind, ...] = (
    ServiceKind("auth", ("/api/auth", "/api/friends")),
    ServiceKind("room", ("/api/rooms",)),
    ServiceKind("sync-gateway", ("/ws",), websocket=True),
    ServiceKind("chat"),
    ServiceKind("signaling"),
    ServiceKind("transcoder", ("/api/videos", "/media")),
    ServiceKind("media-janitor"),
)
SERVICE_NAMES = tuple(s.name for s in SERVICES)
DEPENDENCY_NAMES = ("postgres", "redis", "nats")
PROBE_TIMEOUT_S = 1.5


@dataclass
class StackConfig:
    """Everything the launcher needs; ``from_env`` reads the documented variables."""

    home: Path
    port: int = 8080
    host: str = "127.0.0.1"
    allowed_origins: tuple[str, ...] = ()
    database_url: str | None = None
    redis_url: str | None = None
    nats_url: str | None = None
    gateway_replicas: int = 1
    web_dist: Path | None = None
    log_level: str = "INFO"
    restart_crashed: bool = True

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def origins(self) -> tuple[str, ...]:
        """The browser origins accepted: the configured ones, or the stack's own."""
        if self.allowed_origins:
            return self.allowed_origins
        own = {self.origin, f"http://localhost:{self.port}"}
        return tuple(sorted(own))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StackConfig:
        """Read SYNCWATCH_PORT, SYNCWATCH_HOME, SYNCWATCH_ALLOWED_ORIGINS, DATABASE_URL, REDIS_URL,
        NATS_URL, SYNCWATCH_GATEWAY_REPLICAS and SYNCWATCH_LOG_LEVEL."""
        env = os.environ if environ is None else environ
        origins = tuple(
            o.strip() for o in env.get("SYNCWATCH_ALLOWED_ORIGINS", "").split(",") if o.strip()
        )
        values: dict[str, Any] = {
            "home": Path(env.get("SYNCWATCH_HOME", ".syncwatch")).resolve(),
            "port": int(env.get("SYNCWATCH_PORT", "8080")),
            "allowed_origins": origins,
            "database_url": env.get("DATABASE_URL") or None,
            "redis_url": env.get("REDIS_URL") or None,
            "nats_url": env.get("NATS_URL") or None,
            "gateway_replicas": int(env.get("SYNCWATCH_GATEWAY_REPLICAS", "1")),
            "log_level": env.get("SYNCWATCH_LOG_LEVEL", "INFO"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class ServiceInstance:
    """One running process of a service."""

    kind: ServiceKind
    instance: str
    http_port: int
    grpc_port: int
    env: dict[str, str]
    log_path: Path
    #: The WebSocket port of a ``websocket`` kind (the gateway serves /ws apart from its HTTP).
    ws_port: int | None = None
    proc: asyncio.subprocess.Process | None = None
    restarts: int = 0
    wanted: bool = True
    _watcher: asyncio.Task[None] | None = None
    _log_file: IO[bytes] | None = None

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def ws_url(self) -> str:
        return f"http://127.0.0.1:{self.ws_port}" if self.ws_port else self.http_url

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc and self.proc.returncode is None else None

    async def start(self) -> None:
        """Launch the process (``python -m syncwatch.<svc>``) with its own environment."""
        self.wanted = True
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            self.kind.module,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=child_setup(),
        )

    async def stop(self, grace_s: float = 15.0) -> None:
        """SIGTERM (graceful drain), then SIGKILL after ``grace_s``."""
        self.wanted = False
        if self.proc is not None:
            await terminate(self.proc, signal.SIGTERM, grace_s=grace_s, name=self.instance)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


class DevStack:
    """The whole product on one machine. ``async with DevStack(config) as stack`` runs it."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        home = config.home
        self.infra: dict[str, EmbeddedServer] = {}
        if not config.database_url:
            self.infra["postgres"] = EmbeddedPostgres(home / "postgres")
        if not config.redis_url:
            self.infra["redis"] = EmbeddedRedis(home / "redis")
        if not config.nats_url:
            self.infra["nats"] = EmbeddedNats(home / "nats")
        self.urls = {
            "postgres": config.database_url or self.infra["postgres"].url,
            "redis": config.redis_url or self.infra["redis"].url,
            "nats": config.nats_url or self.infra["nats"].url,
        }
        self.instances: dict[str, ServiceInstance] = {}
        for kind in SERVICES:
            replicas = config.gateway_replicas if kind.name == "sync-gateway" else 1
            for index in range(1, replicas + 1):
                name = kind.name if replicas == 1 else f"{kind.name}-{index}"
                self.instances[name] = ServiceInstance(
                    kind=kind,
                    instance=name,
                    http_port=free_port(),
                    grpc_port=free_port(),
                    env={},
                    log_path=home / "logs" / f"{name}.log",
                    ws_port=free_port() if kind.websocket else None,
                )
        peers = {
            f"{kind.env_prefix}GRPC_ADDR": f"127.0.0.1:{self._first(kind.name).grpc_port}"
            for kind in SERVICES
        }
        for inst in self.instances.values():
            inst.env = self._service_env(inst, peers)
        self.edge = Edge(
            host=config.host,
            port=config.port,
            routes=self._routes(),
            static_dir=config.web_dist,
            ready_check=self.readiness,
            allowed_origins=config.origins,
        )
        self._session: aiohttp.ClientSession | None = None
        self._monitor: asyncio.Task[None] | None = None
        self.started_at: float | None = None

    def _first(self, service: str) -> ServiceInstance:
        return next(i for i in self.instances.values() if i.kind.name == service)

    def _service_env(self, inst: ServiceInstance, peers: Mapping[str, str]) -> dict[str, str]:
        p = inst.kind.env_prefix
        env = {k: v for k, v in os.environ.items() if not k.endswith("_FILE")}
        env.update(peers)
        env.update(
            {
                f"{p}HTTP_HOST": "127.0.0.1",
                f"{p}HTTP_PORT": str(inst.http_port),
                f"{p}GRPC_HOST": "127.0.0.1",
                f"{p}GRPC_PORT": str(inst.grpc_port),
                f"{p}DATABASE_URL": self.urls["postgres"],
                f"{p}REDIS_URL": self.urls["redis"],
                f"{p}NATS_URL": self.urls["nats"],
                f"{p}SHUTDOWN_GRACE_S": "5",
                "SYNCWATCH_HOME": str(self.config.home),
                "SYNCWATCH_ALLOWED_ORIGINS": ",".join(self.config.origins),
                "SYNCWATCH_LOG_LEVEL": self.config.log_level,
                "SYNCWATCH_INSTANCE": inst.instance,
                "PYTHONUNBUFFERED": "1",
            }
        )
        if inst.kind.name == "auth":
            # Signing keys are state: under the home, so a restart keeps everyone signed in.
            env["AUTH_SIGNING_KEY_DIR"] = str(self.config.home / "auth" / "keys")
        if inst.ws_port is not None:
            env[f"{p}WS_HOST"] = "127.0.0.1"
            env[f"{p}WS_PORT"] = str(inst.ws_port)
        if inst.kind.name == "sync-gateway":
            env["SYNC_GATEWAY_ROOM_GRPC_ADDR"] = peers["ROOM_GRPC_ADDR"]
            env["SYNC_GATEWAY_AUTH_GRPC_ADDR"] = peers["AUTH_GRPC_ADDR"]
            env["SYNC_GATEWAY_CHAT_GRPC_ADDR"] = peers["CHAT_GRPC_ADDR"]
        if inst.kind.name == "room":
            env["ROOM_AUTH_GRPC_ADDR"] = peers["AUTH_GRPC_ADDR"]
            env["ROOM_GUEST_TOKEN_SECRET_FILE"] = str(self._room_guest_secret())
        return env

    def _room_guest_secret(self) -> Path:
        """The room service's guest-token secret: made once under the home, kept across restarts."""
        path = self.config.home / "room" / "guest-token.secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
        return path

    def _routes(self) -> list[Route]:
        routes = []
        for kind in SERVICES:
            instances = [i for i in self.instances.values() if i.kind is kind]
            upstreams = tuple(i.ws_url if kind.websocket else i.http_url for i in instances)
            for prefix in kind.http_prefixes:
                routes.append(Route(prefix=prefix, upstreams=upstreams, websocket=kind.websocket))
        return routes

    async def __aenter__(self) -> DevStack:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Infrastructure first, then every service, then the edge. Returns without waiting for ready."""
        self.config.home.mkdir(parents=True, exist_ok=True)
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S))
        await asyncio.gather(*(server.start() for server in self.infra.values()))
        await asyncio.gather(*(inst.start() for inst in self.instances.values()))
        await self.edge.start()
        self.started_at = time.monotonic()
        self._monitor = asyncio.create_task(self._restart_crashed(), name="devstack-monitor")

    async def _restart_crashed(self) -> None:
        # A crashed service comes back (with backoff), as Kubernetes would restart its pod.
        while True:
            await asyncio.sleep(1.0)
            if not self.config.restart_crashed:
                continue
            for inst in self.instances.values():
                if inst.wanted and inst.proc is not None and inst.proc.returncode is not None:
                    log.warning(
                        "service exited; restarting",
                        instance=inst.instance,
                        code=inst.proc.returncode,
                    )
                    inst.restarts += 1
                    await asyncio.sleep(min(2**inst.restarts * 0.25, 10))
                    await inst.start()

    async def stop(self) -> None:
        """Edge, services (gracefully, in parallel), then infrastructure. Leaves no process behind."""
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor
        with contextlib.suppress(Exception):
            await self.edge.stop()
        await asyncio.gather(*(inst.stop() for inst in self.instances.values()))
        await asyncio.gather(*(server.stop() for server in self.infra.values()))
        if self._session is not None:
            await self._session.close()

    async def kill_instance(self, instance: str, sig: int = signal.SIGKILL) -> None:
        """Take one instance down without restarting it (failure tests)."""
        inst = self.instances[instance]
        inst.wanted = False
        if inst.proc is not None and inst.proc.returncode is None:
            inst.proc.send_signal(sig)
            await inst.proc.wait()

    async def start_instance(self, instance: str) -> None:
        """Start an instance that was killed or stopped."""
        await self.instances[instance].start()

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Every service instance's own /health/ready, and a real query to each server."""
        service_checks = await asyncio.gather(
            *(self._service_ready(i) for i in self.instances.values())
        )
        dep_checks = await asyncio.gather(
            _report(probe_postgres, self.urls["postgres"]),
            _report(probe_redis, self.urls["redis"]),
            _report(probe_nats, self.urls["nats"]),
        )
        services: dict[str, Any] = {}
        for inst, check in zip(self.instances.values(), service_checks, strict=True):
            entry = services.setdefault(inst.kind.name, {"status": "up", "instances": {}})
            entry["instances"][inst.instance] = check
            # A service is up when at least one instance is; a dead replica shows in instances.
        for entry in services.values():
            states = [c["status"] for c in entry["instances"].values()]
            entry["status"] = "up" if "up" in states else "down"
        dependencies = {
            name: {**check, "embedded": name in self.infra}
            for name, check in zip(DEPENDENCY_NAMES, dep_checks, strict=True)
        }
        ready = all(s["status"] == "up" for s in services.values()) and all(
            d["status"] == "up" for d in dependencies.values()
        )
        return ready, {
            "status": "ready" if ready else "not_ready",
            "services": services,
            "dependencies": dependencies,
        }

    async def _service_ready(self, inst: ServiceInstance) -> dict[str, Any]:
        if inst.pid is None:
            return {"status": "down", "error": "not running"}
        assert self._session is not None
        try:
            async with self._session.get(f"{inst.http_url}/health/ready") as resp:
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return {"status": "down", "error": f"{type(exc).__name__}: {exc}".strip(": ")}
        result: dict[str, Any] = {"status": "up" if resp.status == 200 else "down"}
        if resp.status != 200:
            result["checks"] = body.get("checks", {})
        return result

    def port_table(self) -> str:
        """What runs where, for people."""
        rows = [("component", "pid", "address", "log / data")]
        for name in DEPENDENCY_NAMES:
            server = self.infra.get(name)
            rows.append(
                (
                    name,
                    str(server.pid or "-") if server else "external",
                    _redact_url(self.urls[name]),
                    str(self.config.home / name) if server else "-",
                )
            )
        for inst in self.instances.values():
            rows.append(
                (
                    inst.instance,
                    str(inst.pid or "-"),
                    f"http :{inst.http_port}  grpc :{inst.grpc_port}",
                    str(inst.log_path),
                )
            )
        rows.append(
            (
                "edge (SPA, /api, /ws)",
                str(os.getpid()),
                self.config.origin,
                str(self.config.web_dist or "-"),
            )
        )
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = [
            "  ".join(col.ljust(widths[i]) for i, col in enumerate(row)).rstrip() for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)


def _redact_url(url: str) -> str:
    from syncwatch.core.logs import redact_value

    return str(redact_value(url))


async def _report(probe: Callable[[str], Awaitable[None]], url: str) -> dict[str, Any]:
    """Run a probe; a failure is a report, not an error."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S * 2):
            await probe(url)
    except Exception as exc:  # noqa: BLE001 - a failed probe is a report, not an error
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}".strip(": ")}
    return {"status": "up"}


async def wait_ready(stack: DevStack, within_s: float = 120.0) -> dict[str, Any]:
    """Poll readiness until everything is up; raise TimeoutError with the last report."""
    deadline = time.monotonic() + within_s
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        ready, body = await stack.readiness()
        if ready:
            return body
        await asyncio.sleep(0.5)
    raise TimeoutError(f"stack not ready after {within_s:.0f}s: {body}")


def service_names() -> Sequence[str]:
    """The seven deployables the stack runs."""
    return SERVICE_NAMES
