"""The edge in front of real aiohttp upstreams (an HTTP echo and a WebSocket echo) on free ports."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType, web
from yarl import URL

from syncwatch.devstack.edge import Edge, Route
from syncwatch.devstack.ports import free_port

pytestmark = pytest.mark.integration

ALLOWED_ORIGIN = "http://app.example"
MB = 1024 * 1024


def _pattern(size: int) -> bytes:
    return (b"0123456789abcdef" * (size // 16 + 1))[:size]


async def _start_app(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


@dataclass
class Gates:
    """Events that let a test prove bytes move before the whole body exists."""

    first_chunk_seen_by_client: asyncio.Event = field(default_factory=asyncio.Event)
    first_chunk_seen_by_upstream: asyncio.Event = field(default_factory=asyncio.Event)


def _echo_app(name: str, gates: Gates) -> web.Application:
    async def echo(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/drip"):
            response = web.StreamResponse()
            await response.prepare(request)
            await response.write(b"first")
            # Only sent once the client has the first chunk: a buffering edge would hang here.
            await asyncio.wait_for(gates.first_chunk_seen_by_client.wait(), 10)
            await response.write(b"second")
            await response.write_eof()
            return response
        if request.path.endswith("/trickle"):
            first = await request.content.readexactly(5)
            gates.first_chunk_seen_by_upstream.set()
            rest = await request.content.read()
            return web.Response(body=first + rest)
        if request.path.endswith("/download"):
            size = int(request.query["size"])
            response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
            await response.prepare(request)
            data = _pattern(size)
            for start in range(0, size, 256 * 1024):
                await response.write(data[start : start + 256 * 1024])
            await response.write_eof()
            return response
        if request.path.endswith("/cookies"):
            response = web.Response(status=201, text="made", headers={"X-Upstream": name})
            response.headers.add("Set-Cookie", "a=1; Path=/")
            response.headers.add("Set-Cookie", "b=2; Path=/")
            return response
        if request.path.endswith("/nocontent"):
            return web.Response(status=204)
        digest = hashlib.sha256()
        length = 0
        async for chunk in request.content.iter_chunked(64 * 1024):
            digest.update(chunk)
            length += len(chunk)
        return web.json_response(
            {
                "server": name,
                "method": request.method,
                "target": request.raw_path,
                "headers": [[k, v] for k, v in request.headers.items()],
                "body_len": length,
                "body_sha256": digest.hexdigest(),
            }
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    return app


@dataclass
class WsUpstream:
    """What the WebSocket echo saw, for assertions."""

    close_codes: list[int | None] = field(default_factory=list)
    origins: list[str | None] = field(default_factory=list)
    request_ids: list[str | None] = field(default_factory=list)


def _ws_app(seen: WsUpstream) -> web.Application:
    async def handler(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/denied"):
            return web.Response(status=401)
        ws = web.WebSocketResponse(protocols=("syncwatch.v1",))
        await ws.prepare(request)
        seen.origins.append(request.headers.get("Origin"))
        seen.request_ids.append(request.headers.get("X-Request-ID"))
        async for msg in ws:
            if msg.type is WSMsgType.TEXT and msg.data.startswith("close:"):
                await ws.close(code=int(msg.data.split(":")[1]), message=b"bye")
                break
            if msg.type is WSMsgType.TEXT:
                await ws.send_str(f"echo:{msg.data}")
            elif msg.type is WSMsgType.BINARY:
                await ws.send_bytes(msg.data[::-1])
        seen.close_codes.append(ws.close_code)
        return ws

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    return app


@dataclass
class EdgeEnv:
    """A started edge with its upstreams."""

    edge: Edge
    url: str
    ws_seen: WsUpstream
    gates: Gates
    readiness: dict[str, Any]
    static_dir: Path


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dist")
    (root / "index.html").write_text("<!doctype html><title>SyncWatch</title>")
    (root / "assets").mkdir()
    (root / "assets" / "app-3f2a1b.js").write_text("console.log('hi')")
    (root / "assets" / "app-3f2a1b.css").write_text("body{}")
    (root / "robots.txt").write_text("User-agent: *")
    (root / ".env").write_text("SECRET=1")
    return root


@pytest.fixture(scope="module")
async def env(static_dir: Path) -> AsyncIterator[EdgeEnv]:
    ws_seen = WsUpstream()
    gates = Gates()
    runners = []
    urls = {}
    for name, app in (
        ("a", _echo_app("a", gates)),
        ("b", _echo_app("b", gates)),
        ("ws", _ws_app(ws_seen)),
    ):
        runner, url = await _start_app(app)
        runners.append(runner)
        urls[name] = url
    dead = f"http://127.0.0.1:{free_port()}"
    readiness: dict[str, Any] = {"ready": True, "body": {"status": "ready"}}

    async def ready_check() -> tuple[bool, dict[str, Any]]:
        if readiness.get("raise"):
            raise RuntimeError("boom")
        return bool(readiness["ready"]), dict(readiness["body"])

    edge = Edge(
        host="127.0.0.1",
        port=free_port(),
        routes=[
            Route("/api/auth", (urls["a"],), name="auth"),
            Route("/api/rooms", (urls["b"],), name="room"),
            Route("/api/rooms/special", (urls["a"],)),
            Route("/api/rr", (dead, urls["a"], urls["b"]), name="replicas"),
            Route("/api/down", (dead,), name="downsvc"),
            Route("/media", (urls["a"],), name="media"),
            Route("/ws", (urls["ws"],), websocket=True, name="gateway"),
            Route("/wsdown", (dead,), websocket=True, name="deadgateway"),
        ],
        static_dir=static_dir,
        ready_check=ready_check,
        allowed_origins=[ALLOWED_ORIGIN],
    )
    await edge.start()
    try:
        yield EdgeEnv(edge, edge.url, ws_seen, gates, readiness, static_dir)
    finally:
        await edge.stop()
        for runner in runners:
            await runner.cleanup()


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        yield session


def _header(echo: dict[str, Any], name: str) -> list[str]:
    return [v for k, v in echo["headers"] if k.lower() == name.lower()]


async def test_routes_by_longest_prefix(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    cases = {
        "/api/auth/login": "a",
        "/api/rooms": "b",
        "/api/rooms/ABCD": "b",
        "/api/rooms/special/1": "a",
    }
    for path, server in cases.items():
        async with client.get(env.url + path) as resp:
            assert resp.status == 200, path
            assert (await resp.json())["server"] == server, path


async def test_unknown_api_path_is_a_404_problem(
    env: EdgeEnv, client: aiohttp.ClientSession
) -> None:
    for path in ("/api/roomsx", "/api/nothing", "/api", "/health/other"):
        async with client.get(env.url + path) as resp:
            body = await resp.json(content_type=None)
            assert resp.status == 404, path
            assert resp.content_type == "application/problem+json"
            assert body["status"] == 404
            assert body["title"] == "Not Found"
            assert body["type"] == "about:blank"


async def test_forwards_method_target_body_and_headers(
    env: EdgeEnv, client: aiohttp.ClientSession
) -> None:
    headers = {
        "X-Custom": "1",
        "Cookie": "session=abc",
        "Connection": "X-Hop",
        "X-Hop": "secret",
        "X-Forwarded-For": "6.6.6.6",
        "Origin": ALLOWED_ORIGIN,
    }
    # encoded=True: the test client must send the target untouched, as a browser would.
    target = "/api/auth/a%2Fb?x=1&y=%2F&z=a+b"
    async with client.patch(
        URL(env.url + target, encoded=True), data=b"hello", headers=headers
    ) as resp:
        echo = await resp.json()
        rid = resp.headers["X-Request-ID"]
    assert echo["method"] == "PATCH"
    assert echo["target"] == target
    assert echo["body_len"] == 5
    assert _header(echo, "X-Custom") == ["1"]
    assert _header(echo, "Cookie") == ["session=abc"]
    assert _header(echo, "Origin") == [ALLOWED_ORIGIN]
    assert _header(echo, "X-Hop") == []
    assert _header(echo, "X-Forwarded-For") == ["127.0.0.1"]
    assert _header(echo, "X-Forwarded-Proto") == ["http"]
    assert _header(echo, "X-Forwarded-Host") == [env.url.removeprefix("http://")]
    assert _header(echo, "X-Request-ID") == [rid]
    assert len(rid) == 32


async def test_request_id_kept_when_sane_and_replaced_otherwise(
    env: EdgeEnv, client: aiohttp.ClientSession
) -> None:
    async with client.get(env.url + "/api/auth/x", headers={"X-Request-ID": "req-42"}) as resp:
        echo = await resp.json()
        assert resp.headers["X-Request-ID"] == "req-42"
        assert _header(echo, "X-Request-ID") == ["req-42"]
    async with client.get(env.url + "/api/auth/x", headers={"X-Request-ID": "x" * 200}) as resp:
        echo = await resp.json()
        assert resp.headers["X-Request-ID"] != "x" * 200
        assert _header(echo, "X-Request-ID") == [resp.headers["X-Request-ID"]]
    async with client.get(env.url + "/health/live", headers={"X-Request-ID": "live-1"}) as resp:
        assert resp.headers["X-Request-ID"] == "live-1"


async def test_streams_big_bodies_both_ways(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    data = _pattern(8 * MB)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), MB):
            yield data[start : start + MB]

    # Known length (Content-Length) and unknown length (chunked) uploads.
    for body, length_header in ((data, [str(len(data))]), (chunks(), [])):
        async with client.put(env.url + "/api/rooms/upload", data=body) as resp:
            echo = await resp.json()
        assert resp.status == 200
        assert echo["body_len"] == len(data)
        assert echo["body_sha256"] == hashlib.sha256(data).hexdigest()
        assert _header(echo, "Content-Length") == length_header

    digest = hashlib.sha256()
    received = 0
    async with client.get(env.url + f"/media/v1/download?size={8 * MB}") as resp:
        assert resp.status == 200
        async for chunk in resp.content.iter_chunked(MB):
            digest.update(chunk)
            received += len(chunk)
    assert received == 8 * MB
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


async def test_bodies_are_not_buffered(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    async with client.get(env.url + "/api/auth/drip") as resp:
        assert await resp.content.readexactly(5) == b"first"
        env.gates.first_chunk_seen_by_client.set()
        assert await asyncio.wait_for(resp.content.read(), 10) == b"second"

    async def upload() -> AsyncIterator[bytes]:
        yield b"hello"
        # The rest only follows once the upstream holds the first chunk.
        await asyncio.wait_for(env.gates.first_chunk_seen_by_upstream.wait(), 10)
        yield b" world"

    async with client.post(env.url + "/api/auth/trickle", data=upload()) as resp:
        assert await resp.read() == b"hello world"


async def test_upstream_status_and_headers_pass_through(
    env: EdgeEnv, client: aiohttp.ClientSession
) -> None:
    async with client.post(env.url + "/api/auth/cookies") as resp:
        assert resp.status == 201
        assert await resp.text() == "made"
        assert resp.headers.getall("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]
        assert resp.headers["X-Upstream"] == "a"
    async with client.delete(env.url + "/api/auth/nocontent") as resp:
        assert resp.status == 204
        assert await resp.read() == b""
    async with client.head(env.url + "/api/auth/x") as resp:
        assert resp.status == 200


async def test_upstream_down_is_a_502_problem(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    async with client.get(env.url + "/api/down/x") as resp:
        assert resp.status == 502
        assert resp.content_type == "application/problem+json"
        assert await resp.json(content_type=None) == {
            "type": "about:blank",
            "title": "Bad Gateway",
            "status": 502,
            "detail": "downsvc is not reachable",
        }


async def test_round_robin_skips_a_dead_replica(
    env: EdgeEnv, client: aiohttp.ClientSession
) -> None:
    servers = []
    for _ in range(6):
        async with client.post(env.url + "/api/rr/x", data=b"payload") as resp:
            assert resp.status == 200
            echo = await resp.json()
            assert echo["body_len"] == 7
            servers.append(echo["server"])
    assert set(servers) == {"a", "b"}


async def test_websocket_echo_through_the_edge(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    async with client.ws_connect(
        env.url.replace("http", "ws") + "/ws/room/ABC",
        protocols=("syncwatch.v1",),
        origin=ALLOWED_ORIGIN,
        headers={"X-Request-ID": "ws-rid"},
    ) as ws:
        assert ws.protocol == "syncwatch.v1"
        await ws.send_str("hi")
        assert (await ws.receive(timeout=5)).data == "echo:hi"
        await ws.send_bytes(b"\x01\x02\x03")
        assert (await ws.receive(timeout=5)).data == b"\x03\x02\x01"
        # The upstream closes with an application code: the browser sees the same code.
        await ws.send_str("close:4001")
        msg = await ws.receive(timeout=5)
        assert msg.type is WSMsgType.CLOSE
        assert msg.data == 4001
        assert msg.extra == "bye"
    assert env.ws_seen.origins[-1] == ALLOWED_ORIGIN
    assert env.ws_seen.request_ids[-1] == "ws-rid"

    # The browser closes with a code: the upstream sees the same code.
    before = len(env.ws_seen.close_codes)
    ws = await client.ws_connect(env.url + "/ws", origin=ALLOWED_ORIGIN)
    await ws.send_str("ping")
    assert (await ws.receive(timeout=5)).data == "echo:ping"
    await ws.close(code=4002, message=b"leaving")
    for _ in range(100):
        if len(env.ws_seen.close_codes) > before:
            break
        await asyncio.sleep(0.02)
    assert env.ws_seen.close_codes[-1] == 4002


async def test_websocket_failures(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(env.url + "/wsdown", origin=ALLOWED_ORIGIN)
    assert refused.value.status == 502
    with pytest.raises(aiohttp.WSServerHandshakeError) as denied:
        await client.ws_connect(env.url + "/ws/denied", origin=ALLOWED_ORIGIN)
    assert denied.value.status == 401


async def test_origin_allowlist(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as forbidden:
        await client.ws_connect(env.url + "/ws", origin="http://evil.example")
    assert forbidden.value.status == 403

    async with client.post(
        env.url + "/api/auth/login", headers={"Origin": "http://evil.example"}
    ) as resp:
        assert resp.status == 403
        assert (await resp.json(content_type=None))["detail"] == "origin not allowed"
    async with client.post(env.url + "/api/auth/login", headers={"Origin": ALLOWED_ORIGIN}) as resp:
        assert resp.status == 200
    # No Origin: a non-browser client. A safe method: no cross-site effect.
    async with client.post(env.url + "/api/auth/login") as resp:
        assert resp.status == 200
    async with client.get(
        env.url + "/api/auth/x", headers={"Origin": "http://evil.example"}
    ) as resp:
        assert resp.status == 200


async def test_single_page_app(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    index = (env.static_dir / "index.html").read_text()
    for path in ("/", "/r/ABCDEFGH", "/login", "/.env", "/%2e%2e/%2e%2e/etc/passwd", "/a/../.env"):
        async with client.get(URL(env.url + path, encoded=True)) as resp:
            assert resp.status == 200, path
            assert resp.headers["Content-Type"] == "text/html; charset=utf-8", path
            assert resp.headers["Cache-Control"] == "no-cache"
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert resp.headers["X-Frame-Options"] == "DENY"
            assert await resp.text() == index, path

    async with client.get(env.url + "/assets/app-3f2a1b.js") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert await resp.text() == "console.log('hi')"
    async with client.get(env.url + "/assets/app-3f2a1b.css") as resp:
        assert resp.headers["Content-Type"] == "text/css; charset=utf-8"
    async with client.get(env.url + "/robots.txt") as resp:
        assert resp.headers["Content-Type"].startswith("text/plain")
    async with client.get(env.url + "/assets/gone-123.js") as resp:
        assert resp.status == 404
        assert resp.content_type == "application/problem+json"
    async with client.post(env.url + "/r/ABCDEFGH") as resp:
        assert resp.status == 405


async def test_without_a_built_app_the_root_is_a_503_problem(
    client: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async def ready() -> tuple[bool, dict[str, Any]]:
        return True, {}

    for static_dir in (None, tmp_path / "missing"):
        edge = Edge(
            host="127.0.0.1",
            port=0,
            routes=[],
            static_dir=static_dir,
            ready_check=ready,
            allowed_origins=[],
        )
        await edge.start()
        try:
            for path in ("/", "/r/ABCDEFGH"):
                async with client.get(edge.url + path) as resp:
                    assert resp.status == 503
                    body = await resp.json(content_type=None)
                    assert body["detail"] == "web app not built"
        finally:
            await edge.stop()


async def test_health_endpoints(env: EdgeEnv, client: aiohttp.ClientSession) -> None:
    async with client.get(env.url + "/health/live") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "live"}
    env.readiness.update(ready=True, body={"status": "ready", "services": {"room": "up"}})
    async with client.get(env.url + "/health/ready") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ready", "services": {"room": "up"}}
    env.readiness.update(ready=False, body={"status": "not_ready", "services": {"room": "down"}})
    async with client.get(env.url + "/health/ready") as resp:
        assert resp.status == 503
        assert await resp.json() == {"status": "not_ready", "services": {"room": "down"}}
    env.readiness.update({"raise": True})
    try:
        async with client.get(env.url + "/health/ready") as resp:
            assert resp.status == 503
    finally:
        env.readiness.pop("raise")


async def test_metrics_and_access_log(
    env: EdgeEnv, client: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="syncwatch.edge"):
        async with client.get(env.url + "/api/rooms/m", headers={"X-Request-ID": "log-me"}):
            pass
        async with client.get(env.url + "/api/down/m"):
            pass
    line = next(r for r in caplog.records if getattr(r, "request_id", None) == "log-me")
    assert line.name == "syncwatch.edge"
    assert line.getMessage().startswith("GET /api/rooms/m 200 ")
    assert line.getMessage().endswith("rid=log-me")

    async with client.get(env.url + "/metrics") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain")
        text = await resp.text()
    assert 'syncwatch_edge_requests_total{route="/api/rooms",status="200"}' in text
    assert 'syncwatch_edge_requests_total{route="/api/down",status="502"}' in text
    assert 'syncwatch_edge_request_duration_seconds_bucket{le="0.005",route="/api/rooms"}' in text
    assert 'syncwatch_edge_upstream_errors_total{route="/api/down"}' in text


async def test_stopping_the_edge_closes_websockets_as_going_away(
    client: aiohttp.ClientSession,
) -> None:
    seen = WsUpstream()
    runner, upstream_url = await _start_app(_ws_app(seen))

    async def ready() -> tuple[bool, dict[str, Any]]:
        return True, {}

    edge = Edge(
        host="127.0.0.1",
        port=0,
        routes=[Route("/ws", (upstream_url,), websocket=True)],
        static_dir=None,
        ready_check=ready,
        allowed_origins=[],
    )
    await edge.start()
    try:
        ws = await client.ws_connect(edge.url + "/ws")
        await ws.send_str("x")
        assert (await ws.receive(timeout=5)).data == "echo:x"
        await edge.stop()
        msg = await ws.receive(timeout=5)
        assert msg.type is WSMsgType.CLOSE
        assert msg.data == 1001
        await ws.close()
        for _ in range(100):
            if seen.close_codes:
                break
            await asyncio.sleep(0.02)
        assert seen.close_codes == [1001]
    finally:
        await edge.stop()
        await runner.cleanup()
