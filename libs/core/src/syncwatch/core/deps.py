"""Dependency supervision: connect in the background, retry forever, report readiness honestly.

A service must start, and keep running, while PostgreSQL, Redis or NATS is down; it reports not-ready
until every dependency answers, and recovers without a restart when they come back. Each dependency
connects (with tenacity's exponential backoff) in its own task, then runs its set-up (migrations,
stream declarations) once; readiness asks every dependency a cheap real question each time.
"""

from __future__ import annotations

import abc
import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import Gauge
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential

from syncwatch.core.logs import get_logger

log = get_logger(__name__)

CHECK_TIMEOUT_S = 2.0

DEPENDENCY_UP = Gauge(
    "syncwatch_dependency_up",
    "1 when the dependency answered its last readiness check, else 0.",
    ["dependency"],
)


class Dependency(abc.ABC):
    """Something a service needs to be useful: a server it talks to, a directory it writes."""

    name: str

    @abc.abstractmethod
    async def connect(self) -> None:
        """Open connections. Raise when the dependency is not reachable; the supervisor retries."""

    async def setup(self) -> None:  # noqa: B027 - optional hook, empty by default
        """One-time work after the first connect (migrations, stream declarations)."""

    @abc.abstractmethod
    async def check(self) -> None:
        """Ask a cheap real question (``SELECT 1``, ``PING``); raise when it is not answered."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Release connections. Must not raise."""


@dataclass
class DependencyState:
    """What the supervisor knows about one dependency."""

    connected: bool = False
    set_up: bool = False
    last_error: str | None = None
    since: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Readiness:
    """The answer to "is this service ready?", with the state of each dependency."""

    ready: bool
    checks: dict[str, dict[str, Any]]


class DependencySupervisor:
    """Runs the connect/set-up loops of a set of dependencies and answers readiness."""

    def __init__(
        self,
        dependencies: Sequence[Dependency],
        *,
        max_backoff_s: float = 5.0,
        check_timeout_s: float = CHECK_TIMEOUT_S,
    ) -> None:
        self.dependencies = list(dependencies)
        self.states = {d.name: DependencyState() for d in self.dependencies}
        self._tasks: list[asyncio.Task[None]] = []
        self._max_backoff_s = max_backoff_s
        self._check_timeout_s = check_timeout_s
        self._extra_checks: dict[str, Callable[[], Awaitable[None]]] = {}

    def add_check(self, name: str, check: Callable[[], Awaitable[None]]) -> None:
        """Add a readiness check that is not a dependency (e.g. "the gRPC server is serving")."""
        self._extra_checks[name] = check

    def start(self) -> None:
        """Start one background connect task per dependency; returns at once."""
        for dep in self.dependencies:
            self._tasks.append(asyncio.create_task(self._bring_up(dep), name=f"connect-{dep.name}"))

    async def _bring_up(self, dep: Dependency) -> None:
        state = self.states[dep.name]
        retrying = AsyncRetrying(
            wait=wait_exponential(multiplier=0.2, max=self._max_backoff_s),
            retry=retry_if_exception_type(Exception),
            before_sleep=lambda rs: self._record_failure(dep, rs.outcome),
        )
        async for attempt in retrying:
            with attempt:
                if not state.connected:
                    await dep.connect()
                    state.connected = True
                    log.info("dependency connected", dependency=dep.name)
                if not state.set_up:
                    await dep.setup()
                    state.set_up = True
                    state.last_error = None
                    state.since = time.time()

    def _record_failure(self, dep: Dependency, outcome: Any) -> None:
        exc = outcome.exception() if outcome is not None else None
        message = f"{type(exc).__name__}: {exc}" if exc else "unknown error"
        state = self.states[dep.name]
        if state.last_error != message:
            log.warning("dependency not available, retrying", dependency=dep.name, error=message)
        state.last_error = message

    async def readiness(self) -> Readiness:
        """Check every dependency now, concurrently, each under a short timeout."""
        names = [d.name for d in self.dependencies] + list(self._extra_checks)
        checks = [self._check_one(d) for d in self.dependencies] + [
            self._run_extra(name, fn) for name, fn in self._extra_checks.items()
        ]
        results = await asyncio.gather(*checks)
        report = dict(zip(names, results, strict=True))
        for name, result in report.items():
            DEPENDENCY_UP.labels(dependency=name).set(1 if result["status"] == "up" else 0)
        return Readiness(ready=all(r["status"] == "up" for r in results), checks=report)

    async def _check_one(self, dep: Dependency) -> dict[str, Any]:
        state = self.states[dep.name]
        if not state.connected:
            return {"status": "down", "error": state.last_error or "connecting"}
        if not state.set_up:
            return {"status": "down", "error": state.last_error or "setting up"}
        try:
            await asyncio.wait_for(dep.check(), self._check_timeout_s)
        except Exception as exc:  # noqa: BLE001 - any failure means not ready, reported as such
            return {"status": "down", "error": f"{type(exc).__name__}: {exc}".strip(": ")}
        return {"status": "up"}

    async def _run_extra(self, name: str, fn: Callable[[], Awaitable[None]]) -> dict[str, Any]:
        try:
            await asyncio.wait_for(fn(), self._check_timeout_s)
        except Exception as exc:  # noqa: BLE001 - reported, never raised
            return {"status": "down", "error": f"{type(exc).__name__}: {exc}".strip(": ")}
        return {"status": "up"}

    async def stop(self) -> None:
        """Stop connecting and close every dependency."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for dep in reversed(self.dependencies):
            try:
                await dep.close()
            except Exception:
                log.exception("closing dependency failed", dependency=dep.name)
