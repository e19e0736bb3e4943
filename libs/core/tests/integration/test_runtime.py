"""A real service (auth) run in-process: ready with its dependencies, not ready without, recovering."""

import asyncio

import httpx
import pytest

from syncwatch.auth.service import Settings, build
from syncwatch.core.runtime import ServiceRunner
from syncwatch.devstack.infra import EmbeddedRedis
from syncwatch.devstack.ports import free_port

pytestmark = pytest.mark.integration

# Auth's own dependencies besides the three servers: its signing-key directory and the consumer
# that stores the audit log.
EXTRA_CHECKS = ("signing_keys", "audit_store")


async def _ready(
    client: httpx.AsyncClient, want: int, down: str | None = None, timeout: float = 30.0
) -> dict:
    """Poll until the status is ``want`` and (if given) exactly ``down`` is the dependency down."""
    async with asyncio.timeout(timeout):
        while True:
            resp = await client.get("/health/ready")
            body = resp.json()
            downs = {k for k, v in body["checks"].items() if v["status"] != "up"}
            if resp.status_code == want and (down is None or downs == {down}):
                return body
            await asyncio.sleep(0.2)


async def test_service_degrades_visibly_and_recovers(infra, tmp_path) -> None:
    # A Redis of the test's own, so stopping it disturbs nothing else.
    redis = EmbeddedRedis(tmp_path / "redis")
    settings = Settings(
        http_host="127.0.0.1",
        http_port=free_port(),
        grpc_host="127.0.0.1",
        grpc_port=free_port(),
        database_url=infra.postgres_url,
        redis_url=redis.url,  # not started yet: the service must start anyway
        nats_url=infra.nats_url,
        signing_key_dir=str(tmp_path / "keys"),
        shutdown_grace_s=0.5,
    )
    runner = ServiceRunner(build(settings))
    await runner.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.http_port}") as client:
            assert (await client.get("/health/live")).status_code == 200
            body = await _ready(client, 503, down="redis")
            assert "Connect" in body["checks"]["redis"]["error"]

            await redis.start()
            body = await _ready(client, 200)
            assert body == {
                "service": "auth",
                "status": "ready",
                "checks": {
                    n: {"status": "up"} for n in ("postgres", "redis", "nats", *EXTRA_CHECKS)
                },
            }

            await redis.stop()
            await _ready(client, 503, down="redis")

            await redis.start()
            await _ready(client, 200)

            metrics = await client.get("/metrics")
            assert metrics.status_code == 200
            assert "text/plain" in metrics.headers["content-type"]
            assert 'syncwatch_dependency_up{dependency="redis"} 1.0' in metrics.text

            missing = await client.get(
                "/api/auth/nothing-here", headers={"x-request-id": "abc-123"}
            )
            assert missing.status_code == 404
            assert missing.headers["content-type"].startswith("application/problem+json")
            assert missing.json()["code"] == "not_found"
    finally:
        await runner.stop()
        await redis.stop()


async def test_migrations_ran_in_the_service_schema(infra) -> None:
    import asyncpg

    conn = await asyncpg.connect(infra.postgres_url)
    try:
        versions = await conn.fetch("SELECT version FROM auth.schema_migrations")
    finally:
        await conn.close()
    assert [r["version"] for r in versions] == sorted(r["version"] for r in versions)
    assert versions[0]["version"] == 1


async def test_shutdown_hooks_run_after_the_servers_stop_even_when_one_fails() -> None:
    from syncwatch.core.runtime import ServiceDefinition, ServiceSettings

    settings = ServiceSettings(
        http_host="127.0.0.1",
        http_port=free_port(),
        grpc_host="127.0.0.1",
        grpc_port=free_port(),
        shutdown_grace_s=0.1,
    )
    ran: list[str] = []
    runner: ServiceRunner

    async def failing() -> None:
        ran.append("failing")
        raise RuntimeError("closing went wrong")

    async def closing() -> None:
        # The servers are down by now: nothing new can reach what this hook closes.
        ran.append(f"closing, http serving={runner.http.started and not runner.http.should_exit}")

    runner = ServiceRunner(
        ServiceDefinition(
            name="probe", settings=settings, dependencies=[], on_shutdown=[failing, closing]
        )
    )
    await runner.start()
    assert ran == []
    await runner.stop()
    assert ran == ["failing", "closing, http serving=False"]
