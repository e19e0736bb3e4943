"""Running a service: settings, logs, telemetry, dependencies, HTTP and gRPC servers, graceful stop.

A service's ``service.py`` describes itself as a ServiceDefinition; its ``__main__`` calls
``run_main``. The same code runs one service per process in every mode (embedded, split, Kubernetes):
the launcher only decides which environment each process gets.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

import msgspec
from litestar.types import ControllerRouterHandler

from syncwatch.core.deps import Dependency, DependencySupervisor
from syncwatch.core.grpc import GrpcServer, Registration
from syncwatch.core.http import HttpServer, create_http_app, http_server
from syncwatch.core.logs import configure_logging, get_logger
from syncwatch.core.settings import SettingsError, load_settings
from syncwatch.core.telemetry import setup_telemetry

log = get_logger(__name__)

READINESS_INTERVAL_S = 2.0


class SharedSettings(msgspec.Struct, kw_only=True):
    """Settings every process reads, from ``SYNCWATCH_*``."""

    log_level: Annotated[
        str, msgspec.Meta(description="Log level: DEBUG, INFO, WARNING, ERROR.")
    ] = "INFO"
    log_format: Annotated[
        str, msgspec.Meta(description="`json` (one object per line) or `console` (for people).")
    ] = "json"
    allowed_origins: Annotated[
        list[str],
        msgspec.Meta(
            description="Browser origins allowed to call the API and open /ws (comma-separated)."
        ),
    ] = msgspec.field(default_factory=list)
    trusted_proxies: Annotated[
        list[str],
        msgspec.Meta(
            description="Peers whose X-Forwarded-For/-Proto are believed: addresses or CIDR networks "
            "of the edge or Ingress (comma-separated); client IPs for rate limits come from them."
        ),
    ] = msgspec.field(default_factory=lambda: ["127.0.0.1"])


class ServiceSettings(msgspec.Struct, kw_only=True):
    """Settings of one service, from ``<SVC>_*``. Services subclass this with their dependencies."""

    http_host: Annotated[str, msgspec.Meta(description="Address the HTTP server binds.")] = (
        "0.0.0.0"  # noqa: S104 - containers listen on all interfaces
    )
    http_port: Annotated[
        int, msgspec.Meta(ge=0, le=65535, description="HTTP port: API, health, metrics.")
    ] = 8080
    grpc_host: Annotated[str, msgspec.Meta(description="Address the gRPC server binds.")] = (
        "0.0.0.0"  # noqa: S104 - containers listen on all interfaces
    )
    grpc_port: Annotated[
        int,
        msgspec.Meta(ge=0, le=65535, description="gRPC port (grpc.health.v1 and the service API)."),
    ] = 50051
    shutdown_grace_s: Annotated[
        float, msgspec.Meta(ge=0, description="Seconds calls in flight get to finish on SIGTERM.")
    ] = 10.0


# The connection settings a service declares in its Settings, described once.
DatabaseUrl = Annotated[
    str, msgspec.Meta(description="PostgreSQL DSN; the service keeps its tables in its own schema.")
]
RedisUrl = Annotated[
    str,
    msgspec.Meta(
        description="Redis URL without a database number: the service picks its logical databases."
    ),
]
NatsUrl = Annotated[str, msgspec.Meta(description="NATS URL; JetStream must be enabled.")]

S = TypeVar("S", bound=ServiceSettings)

#: Work a service does at a point of its life: start servers of its own (``on_startup``, after
#: HTTP and gRPC listen), tell clients to go elsewhere (``on_drain``, first thing on stop), close
#: clients of peers such as gRPC channels (``on_shutdown``, after both servers stopped).
ShutdownHook = Callable[[], Awaitable[None]]
LifecycleHook = ShutdownHook


@dataclass
class ServiceDefinition:
    """What a service is made of. Built by the service's ``build()`` from its settings."""

    name: str
    settings: ServiceSettings
    dependencies: Sequence[Dependency]
    route_handlers: Sequence[ControllerRouterHandler] = ()
    grpc_registrations: Sequence[Registration] = ()
    #: Fully-qualified gRPC service names, reported individually by grpc.health.v1.
    grpc_service_names: Sequence[str] = ()
    openapi_path: str | None = None
    #: Run in order after both servers stopped, before the dependencies close; a failing hook is
    #: logged and the others still run.
    on_shutdown: Sequence[ShutdownHook] = ()
    #: Run in order once both servers listen; a failure fails the start.
    on_startup: Sequence[LifecycleHook] = ()
    #: Run first on stop, before the servers stop (graceful hand-off of long-lived connections).
    on_drain: Sequence[LifecycleHook] = ()
    extra: dict[str, object] = field(default_factory=dict)


class ServiceRunner:
    """Starts and stops one service in the running event loop (also used by in-process tests)."""

    def __init__(
        self, definition: ServiceDefinition, *, trusted_proxies: Sequence[str] = ("127.0.0.1",)
    ) -> None:
        self.definition = definition
        settings = definition.settings
        self.supervisor = DependencySupervisor(definition.dependencies)
        self.app = create_http_app(
            service=definition.name,
            supervisor=self.supervisor,
            route_handlers=definition.route_handlers,
            openapi_path=definition.openapi_path,
        )
        self.app.state.definition = definition
        self.http: HttpServer = http_server(
            self.app, settings.http_host, settings.http_port, trusted_proxies
        )
        self.grpc = GrpcServer(
            host=settings.grpc_host,
            port=settings.grpc_port,
            registrations=definition.grpc_registrations,
            service_names=definition.grpc_service_names,
        )
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start the dependency loops and both servers; returns once they listen."""
        self.supervisor.start()
        await self.grpc.start()
        self._tasks.append(asyncio.create_task(self.http.serve(), name="http"))
        self._tasks.append(asyncio.create_task(self._follow_readiness(), name="readiness"))
        while not self.http.started:
            if self._tasks[0].done():
                self._tasks[0].result()  # surfaces a bind error
                raise RuntimeError("HTTP server stopped during start-up")
            await asyncio.sleep(0.02)
        for hook in self.definition.on_startup:
            await hook()
        log.info(
            "service started",
            http=f"{self.definition.settings.http_host}:{self.http.config.port}",
            grpc=self.grpc.address,
        )

    async def _follow_readiness(self) -> None:
        # gRPC health mirrors /health/ready, so Kubernetes' native gRPC probes see the same truth.
        while True:
            result = await self.supervisor.readiness()
            await self.grpc.set_serving(result.ready)
            await asyncio.sleep(READINESS_INTERVAL_S)

    async def stop(self) -> None:
        """Stop taking work, let calls in flight finish, close dependencies."""
        grace = self.definition.settings.shutdown_grace_s
        log.info("service stopping", grace_s=grace)
        for hook in self.definition.on_drain:
            try:
                await hook()
            except Exception:
                log.exception("drain hook failed", hook=getattr(hook, "__qualname__", repr(hook)))
        for task in self._tasks[1:]:
            task.cancel()
        self.http.should_exit = True
        await self.grpc.stop(grace)
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for hook in self.definition.on_shutdown:
            try:
                await hook()
            except Exception:
                log.exception(
                    "shutdown hook failed", hook=getattr(hook, "__qualname__", repr(hook))
                )
        await self.supervisor.stop()
        log.info("service stopped")


async def serve(definition: ServiceDefinition, shared: SharedSettings | None = None) -> None:
    """Run until SIGTERM or SIGINT, then stop gracefully."""
    shared = shared or SharedSettings()
    runner = ServiceRunner(definition, trusted_proxies=shared.trusted_proxies)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runner.start()
    http_task = runner._tasks[0]
    stop_task = asyncio.create_task(stop.wait())
    await asyncio.wait({stop_task, http_task}, return_when=asyncio.FIRST_COMPLETED)
    stop_task.cancel()
    await runner.stop()


def run_main(
    name: str, settings_cls: type[S], prefix: str, build: Callable[[S], ServiceDefinition]
) -> None:
    """Entry point of ``python -m syncwatch.<svc>``: exits 2 with every settings problem listed."""
    try:
        shared = load_settings(SharedSettings, "SYNCWATCH_")
        settings = load_settings(settings_cls, prefix)
    except SettingsError as exc:
        print(f"syncwatch-{name}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging(name, shared.log_level, shared.log_format)
    setup_telemetry(name)

    async def main() -> None:
        # Built inside the running loop: gRPC channels and other loop-bound clients that
        # ``build`` creates must belong to the loop that serves.
        await serve(build(settings), shared)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
