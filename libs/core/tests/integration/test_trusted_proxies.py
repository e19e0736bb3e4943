"""Client addresses (for per-IP limits) come from X-Forwarded-For only when the peer is trusted."""

import asyncio

import httpx
import pytest
from litestar import Request, get

from syncwatch.core.deps import DependencySupervisor
from syncwatch.core.http import create_http_app, http_server
from syncwatch.devstack.ports import free_port

pytestmark = pytest.mark.integration


@get("/api/test/ip", sync_to_thread=False)
def client_ip(request: Request) -> dict[str, str | None]:
    return {"ip": request.client.host if request.client else None, "scheme": request.url.scheme}


@pytest.mark.parametrize(
    ("trusted", "expected_ip", "expected_scheme"),
    [(["127.0.0.1"], "203.0.113.9", "https"), (["10.9.9.9"], "127.0.0.1", "http")],
)
async def test_forwarded_headers_believed_only_from_trusted_peers(
    trusted: list[str], expected_ip: str, expected_scheme: str
) -> None:
    app = create_http_app(
        service="t", supervisor=DependencySupervisor([]), route_handlers=[client_ip]
    )
    port = free_port()
    server = http_server(app, "127.0.0.1", port, trusted)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.02)
        async with httpx.AsyncClient() as client:
            resp = await client.get(
                f"http://127.0.0.1:{port}/api/test/ip",
                headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
            )
        assert resp.json() == {"ip": expected_ip, "scheme": expected_scheme}
    finally:
        server.should_exit = True
        await task
