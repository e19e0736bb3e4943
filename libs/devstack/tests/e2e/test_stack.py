"""The one-origin stack: readiness, SPA, metrics, and honest degradation when a server goes away."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from syncwatch.devstack.stack import DEPENDENCY_NAMES, SERVICE_NAMES, DevStack

pytestmark = pytest.mark.e2e


def _client(stack: DevStack) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=stack.config.origin, timeout=10)


async def test_ready_names_every_service_and_server(stack: DevStack) -> None:
    async with _client(stack) as client:
        resp = await client.get("/health/ready")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ready"
    assert set(body["services"]) == set(SERVICE_NAMES)
    assert all(s["status"] == "up" for s in body["services"].values())
    assert set(body["dependencies"]) == set(DEPENDENCY_NAMES)
    assert all(d == {"status": "up", "embedded": True} for d in body["dependencies"].values())


@pytest.mark.parametrize("path", ["/", "/r/ABCDEFGH", "/login", "/register"])
async def test_spa_is_served_at_routes_and_deep_links(stack: DevStack, path: str) -> None:
    async with _client(stack) as client:
        resp = await client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert '<div id="root"' in resp.text
    assert resp.headers["x-content-type-options"] == "nosniff"


async def test_metrics_are_prometheus_text(stack: DevStack) -> None:
    async with _client(stack) as client:
        await client.get("/")
        resp = await client.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    assert "# TYPE syncwatch_edge_requests_total counter" in resp.text


async def test_unknown_api_path_is_a_problem_document(stack: DevStack) -> None:
    async with _client(stack) as client:
        resp = await client.get("/api/nothing")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/problem+json")


async def test_service_health_is_reachable_through_its_route(stack: DevStack) -> None:
    # /api/rooms is routed to the room service: an unknown code is its typed 404.
    async with _client(stack) as client:
        resp = await client.get("/api/rooms/ABCDEFGH")
    assert resp.status_code == 404
    assert resp.json()["code"] == "room_not_found"
    assert resp.headers["x-request-id"]


async def _readiness(client: httpx.AsyncClient, want: int, timeout: float = 60) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            resp = await client.get("/health/ready")
            if resp.status_code == want:
                return resp.json()
            await asyncio.sleep(0.3)


@pytest.mark.parametrize("server", ["postgres", "redis", "nats"])
async def test_losing_a_server_turns_ready_to_503_naming_it_then_recovers(
    stack: DevStack, server: str
) -> None:
    pids = {name: inst.pid for name, inst in stack.instances.items()}
    restarts = {name: inst.restarts for name, inst in stack.instances.items()}
    async with _client(stack) as client:
        await _readiness(client, 200)
        await stack.infra[server].stop()
        try:
            body = await _readiness(client, 503)
            assert body["status"] == "not_ready"
            assert body["dependencies"][server]["status"] == "down"
            others = set(DEPENDENCY_NAMES) - {server}
            assert all(body["dependencies"][o]["status"] == "up" for o in others)
            # The services that use it say so themselves, by name.
            async with asyncio.timeout(30):
                while True:
                    _, body = await stack.readiness()
                    downs = [
                        inst
                        for svc in body["services"].values()
                        for inst in svc["instances"].values()
                        if inst["status"] == "down"
                    ]
                    if downs and all(server in i.get("checks", {}) for i in downs):
                        break
                    await asyncio.sleep(0.3)
        finally:
            await stack.infra[server].start()
        body = await _readiness(client, 200)
    assert body["status"] == "ready"
    # No service crashed or was restarted: the same processes recovered by themselves.
    assert {name: inst.pid for name, inst in stack.instances.items()} == pids
    assert {name: inst.restarts for name, inst in stack.instances.items()} == restarts


async def test_foreign_origin_cannot_call_the_api(stack: DevStack) -> None:
    async with _client(stack) as client:
        foreign = await client.post(
            "/api/rooms", json={}, headers={"Origin": "https://evil.example"}
        )
        own = await client.post("/api/rooms", json={}, headers={"Origin": stack.config.origin})
    assert foreign.status_code == 403
    assert foreign.headers["content-type"].startswith("application/problem+json")
    assert own.status_code != 403
