"""Services under test, in-process: settings on free loopback ports over the run's servers, and
waiting for readiness."""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

import httpx

from syncwatch.devstack.ports import free_port

S = TypeVar("S")


def local_settings(cls: type[S], infra: Any = None, **fields: Any) -> S:
    """``cls`` (a service's Settings) on free loopback HTTP and gRPC ports, with the run's
    PostgreSQL, Redis and NATS URLs for the fields it has, a short shutdown grace, and ``fields``."""
    values: dict[str, Any] = {
        "http_host": "127.0.0.1",
        "http_port": free_port(),
        "grpc_host": "127.0.0.1",
        "grpc_port": free_port(),
        "shutdown_grace_s": 0.5,
    }
    wanted = set(getattr(cls, "__struct_fields__", ()))
    if infra is not None:
        for name, url in (
            ("database_url", infra.postgres_url),
            ("redis_url", infra.redis_url),
            ("nats_url", infra.nats_url),
        ):
            if name in wanted:
                values[name] = url
    values.update(fields)
    return cls(**values)


async def until_ready(port: int, within_s: float = 30.0) -> None:
    """Wait for ``/health/ready`` on ``port`` to answer 200."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
        async with asyncio.timeout(within_s):
            while True:
                if (await c.get("/health/ready")).status_code == 200:
                    return
                await asyncio.sleep(0.1)
