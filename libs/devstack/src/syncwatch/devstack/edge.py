"""One public origin in front of everything: reverse proxy, WebSocket bridge, SPA, health, metrics.

The browser only ever talks to the edge (``http://127.0.0.1:8080`` in ``make dev``), so cookies,
CORS and WebSocket origins behave as they will behind the production ingress. Requests are routed
by longest path prefix to service upstreams; bodies stream both ways, so big uploads never sit in
the edge's memory. Everything else is the single-page app, with ``index.html`` for deep links.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final

import aiohttp
from aiohttp import WSCloseCode, WSMsgType, web
from multidict import CIMultiDict, CIMultiDictProxy
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from yarl import URL

from syncwatch.core.http import request_id

__all__ = [
    "Edge",
    "ReadyCheck",
    "Route",
    "forward_request_headers",
    "forward_response_headers",
    "match_route",
    "needs_origin_check",
    "origin_allowed",
    "path_has_prefix",
    "request_id",
]

logger = logging.getLogger("syncwatch.edge")

ReadyCheck = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]
Headers = CIMultiDictProxy[str] | CIMultiDict[str]

# RFC 9110 §7.6.1 and the old Proxy-Connection: meaningful for one connection only.
HOP_BY_HOP_HEADERS: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# The edge is the outermost proxy, so forwarding headers a client sends are lies until proven
# otherwise; they are replaced, never extended. Expect is answered by the edge itself.
_REPLACED_REQUEST_HEADERS: Final = frozenset(
    {
        "host",
        "expect",
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-forwarded-port",
        "x-real-ip",
        "x-request-id",
    }
)
# ws_connect writes its own handshake; Origin is passed through its own argument.
_WEBSOCKET_HANDSHAKE_HEADERS: Final = frozenset(
    {
        "origin",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-protocol",
        "sec-websocket-extensions",
        "sec-websocket-accept",
    }
)
UNSAFE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Paths that belong to the backend: never answered with the SPA's index.html.
RESERVED_PREFIXES: Final = ("/api", "/ws", "/media", "/health", "/metrics")
# Safe to copy into logs and headers: no spaces, quotes or control characters.
_PROBLEM_TYPE: Final = "application/problem+json"
_SPA_SECURITY_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
_IMMUTABLE: Final = "public, max-age=31536000, immutable"
# Stable types for what a Vite build emits, whatever /etc/mime.types says on this machine.
_STATIC_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
_STREAM_CHUNK = 64 * 1024
_READY_CHECK_TIMEOUT_S = 10.0
# A frame larger than this is refused by the edge (close 1009); the app's messages are small.
_WS_MAX_MESSAGE_BYTES = 4 * 1024 * 1024
# Close codes that must not appear in a close frame (RFC 6455 §7.4.1).
_UNSENDABLE_CLOSE_CODES: Final = frozenset({1004, 1005, 1006, 1015})


@dataclass(frozen=True)
class Route:
    """Requests whose path starts with ``prefix`` go to one of ``upstreams``.

    Several upstreams (replicas) are used round-robin, skipping any that refuses connections.
    ``websocket`` routes also accept WebSocket upgrades. ``name`` names the service in errors;
    the prefix stands in when it is empty.
    """

    prefix: str
    upstreams: tuple[str, ...]
    websocket: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        if not self.prefix.startswith("/") or (self.prefix != "/" and self.prefix.endswith("/")):
            raise ValueError(f"route prefix must start and not end with '/': {self.prefix!r}")
        if not self.upstreams:
            raise ValueError(f"route {self.prefix!r} has no upstreams")
        # Accept any iterable and trailing slashes; the request path is appended as it came.
        object.__setattr__(self, "upstreams", tuple(u.rstrip("/") for u in self.upstreams))

    @property
    def service(self) -> str:
        """What the route is called in errors and logs."""
        return self.name or self.prefix


# -- pure helpers --------------------------------------------------------------------------------


def path_has_prefix(path: str, prefix: str) -> bool:
    """Whether ``path`` is ``prefix`` or below it on a segment boundary.

    ``/api/rooms`` matches ``/api/rooms`` and ``/api/rooms/x`` but not ``/api/roomsx``.
    """
    if prefix == "/":
        return path.startswith("/")
    return path == prefix or path.startswith(prefix + "/")


def match_route(routes: Iterable[Route], path: str) -> Route | None:
    """The route with the longest prefix that ``path`` falls under, or None."""
    best: Route | None = None
    for route in routes:
        if path_has_prefix(path, route.prefix) and (
            best is None or len(route.prefix) > len(best.prefix)
        ):
            best = route
    return best


def _normalise_origin(origin: str) -> str:
    # Scheme and host are case-insensitive; a trailing slash is a common configuration slip.
    return origin.strip().rstrip("/").lower()


def origin_allowed(origin: str | None, allowed: Collection[str]) -> bool:
    """Whether a request with this ``Origin`` header may go on.

    No header means a non-browser client, which CSRF cannot abuse, so it passes. ``allowed``
    holds normalised origins (see :class:`Edge`); the header is normalised the same way.
    """
    if origin is None:
        return True
    return _normalise_origin(origin) in allowed


def needs_origin_check(method: str, websocket_upgrade: bool) -> bool:
    """Whether the Origin allowlist applies: WebSocket upgrades and state-changing methods."""
    return websocket_upgrade or method.upper() in UNSAFE_METHODS


def _connection_tokens(headers: Headers) -> set[str]:
    # Headers named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
    return {
        token.strip().lower()
        for value in headers.getall("Connection", [])
        for token in value.split(",")
        if token.strip()
    }


def forward_request_headers(
    headers: Headers,
    *,
    client_ip: str,
    proto: str,
    host: str,
    request_id: str,
) -> CIMultiDict[str]:
    """The headers to send upstream: end-to-end ones kept, forwarding headers set afresh."""
    drop = HOP_BY_HOP_HEADERS | _REPLACED_REQUEST_HEADERS | _connection_tokens(headers)
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in headers.items():
        if name.lower() not in drop:
            out.add(name, value)
    out["X-Forwarded-For"] = client_ip
    out["X-Forwarded-Proto"] = proto
    out["X-Forwarded-Host"] = host
    out["X-Request-ID"] = request_id
    return out


def forward_response_headers(headers: Headers) -> CIMultiDict[str]:
    """The upstream response headers to pass on (all but hop-by-hop ones; duplicates kept)."""
    drop = HOP_BY_HOP_HEADERS | _connection_tokens(headers)
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in headers.items():
        if name.lower() not in drop:
            out.add(name, value)
    return out


def _problem(status: int, detail: str, headers: Mapping[str, str] | None = None) -> web.Response:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return web.json_response(body, status=status, content_type=_PROBLEM_TYPE, headers=headers)


def _is_websocket_upgrade(request: web.Request) -> bool:
    upgrade = request.headers.get("Upgrade", "").lower()
    return upgrade == "websocket" and "upgrade" in _connection_tokens(request.headers)


def _static_file(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or None (no dotfiles, no escaping)."""
    parts = url_path.lstrip("/").split("/")
    if not parts or any(not p or p.startswith(".") or "\x00" in p for p in parts):
        return None
    try:
        resolved = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


def _sendable_close_code(code: int | None) -> int:
    if code is None or code == 1005:
        return WSCloseCode.OK
    if code in _UNSENDABLE_CLOSE_CODES or not (1000 <= code < 5000):
        # The peer vanished without a close frame: tell the other side it went away.
        return WSCloseCode.GOING_AWAY
    return code


AnyWebSocket = web.WebSocketResponse | aiohttp.ClientWebSocketResponse


async def _pump(src: AnyWebSocket, dst: AnyWebSocket) -> tuple[int, str]:
    """Copy data frames from ``src`` to ``dst`` until ``src`` closes; return its close code."""
    while True:
        msg = await src.receive()
        if msg.type is WSMsgType.TEXT:
            await dst.send_str(msg.data)
        elif msg.type is WSMsgType.BINARY:
            await dst.send_bytes(msg.data)
        elif msg.type is WSMsgType.CLOSE:
            return int(msg.data), str(msg.extra or "")
        elif msg.type in (WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
            return WSCloseCode.GOING_AWAY, ""
        # PING and PONG are answered by each hop itself (autoping).


async def _bridge(
    browser: web.WebSocketResponse, upstream: aiohttp.ClientWebSocketResponse
) -> None:
    """Pump frames both ways; when one side closes, close the other with the same code."""
    to_upstream = asyncio.create_task(_pump(browser, upstream))
    to_browser = asyncio.create_task(_pump(upstream, browser))
    try:
        done, _ = await asyncio.wait({to_upstream, to_browser}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (to_upstream, to_browser):
            if not task.done():
                # Cancelled before closing: aiohttp's close() must not race a pending receive().
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    first = done.pop()
    try:
        code, reason = first.result()
    except Exception as exc:  # noqa: BLE001 - any failed send means that side is gone
        # Sending to the other side failed: that side is gone.
        logger.debug("WebSocket pump ended with %r", exc)
        code, reason = WSCloseCode.GOING_AWAY, ""
    closer, other = (browser, upstream) if first is to_upstream else (upstream, browser)
    sendable = _sendable_close_code(code)
    # A close reason is limited to 123 bytes by the frame size limit of control frames.
    message = reason.encode()[:123]
    with contextlib.suppress(ConnectionError, RuntimeError, aiohttp.ClientError):
        await other.close(code=sendable, message=message)
    with contextlib.suppress(ConnectionError, RuntimeError, aiohttp.ClientError):
        # Completes the closing handshake with the side that started it, echoing its code.
        await closer.close(code=sendable)


# -- the edge ------------------------------------------------------------------------------------


class Edge:
    """The public HTTP server of the dev stack: proxy, WebSocket bridge, SPA, health, metrics."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        routes: Sequence[Route],
        static_dir: Path | None,
        ready_check: ReadyCheck,
        allowed_origins: Sequence[str],
    ) -> None:
        """Configure the edge; nothing listens until :meth:`start`.

        ``port`` 0 lets the kernel choose; :attr:`port` holds the real one after start.
        """
        self.host = host
        self.port = port
        self.routes = tuple(routes)
        self.static_dir = static_dir
        self._ready_check = ready_check
        self._allowed_origins = frozenset(_normalise_origin(o) for o in allowed_origins)
        self._next_upstream: dict[str, int] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._websockets: set[web.WebSocketResponse] = set()
        # Owned, not the global registry: several edges (tests, split mode) live in one process.
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "syncwatch_edge_requests",
            "Requests answered by the edge, by route and HTTP status.",
            ["route", "status"],
            registry=self.registry,
        )
        self._duration = Histogram(
            "syncwatch_edge_request_duration_seconds",
            "Time from request to the end of the response (WebSocket: the session), by route.",
            ["route"],
            registry=self.registry,
        )
        self._upstream_errors = Counter(
            "syncwatch_edge_upstream_errors",
            "Upstream connections that failed or broke, by route.",
            ["route"],
            registry=self.registry,
        )

    @property
    def url(self) -> str:
        """The public origin, e.g. ``http://127.0.0.1:8080``."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Listen on ``host:port``; a no-op when already started."""
        if self._runner is not None:
            return
        self._session = aiohttp.ClientSession(
            # No pool limit: every proxied WebSocket holds a connection for its lifetime.
            connector=aiohttp.TCPConnector(limit=0),
            # Never share one user's Set-Cookie with the next request.
            cookie_jar=aiohttp.DummyCookieJar(),
            # Bodies pass through byte for byte, compressed or not.
            auto_decompress=False,
            # Only the client's own headers go upstream, not aiohttp's defaults.
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            # Streams (uploads, video, long polls) may last; only connecting is bounded.
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=5.0),
            trust_env=False,
        )
        # No client_max_size concern: proxied bodies are streamed from request.content, never
        # read whole, and the edge's own endpoints read no body.
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=5.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            await self._session.close()
            self._session = None
            raise
        self._runner = runner
        if self.port == 0:
            self.port = runner.addresses[0][1]
        logger.info("edge listening on %s", self.url)

    async def stop(self) -> None:
        """Close WebSockets (1001 going away), finish in-flight requests briefly, stop listening."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        for ws in list(self._websockets):
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=WSCloseCode.GOING_AWAY, message=b"edge shutting down")
        await runner.cleanup()
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- request handling ------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        rid = request_id(request.headers.get("X-Request-ID"))
        # The metrics label, filled in by dispatch as it learns where the request goes; never the
        # raw path, which would make the label set unbounded.
        label = ["unmatched"]
        try:
            response = await self._dispatch(request, rid, label)
        except Exception:
            # Logged with the request id; the client gets a problem, never a traceback.
            logger.exception("edge failed on %s %s (request %s)", request.method, request.path, rid)
            response = _problem(500, "the edge failed to handle this request")
        if not response.prepared:
            response.headers["X-Request-ID"] = rid
        elapsed = time.perf_counter() - started
        route = label[0]
        self._requests.labels(route, str(response.status)).inc()
        self._duration.labels(route).observe(elapsed)
        logger.info(
            "%s %s %d %.1fms rid=%s",
            request.method,
            request.path,
            response.status,
            elapsed * 1000,
            rid,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status,
                "duration_ms": round(elapsed * 1000, 1),
                "request_id": rid,
                "route": route,
            },
        )
        return response

    async def _dispatch(
        self, request: web.Request, rid: str, label: list[str]
    ) -> web.StreamResponse:
        path = request.path
        websocket = _is_websocket_upgrade(request)
        route = match_route(self.routes, path)
        if route is not None:
            label[0] = route.prefix
        if needs_origin_check(request.method, websocket) and not origin_allowed(
            request.headers.get("Origin"), self._allowed_origins
        ):
            return _problem(403, "origin not allowed")
        if path in ("/health/live", "/health/ready", "/metrics"):
            label[0] = path
            return await self._own_endpoint(request, path)
        if route is not None:
            if route.websocket and websocket:
                return await self._proxy_websocket(request, route, rid)
            return await self._proxy_http(request, route, rid)
        if any(path_has_prefix(path, prefix) for prefix in RESERVED_PREFIXES):
            return _problem(404, "no service handles this path")
        label[0] = "spa"
        return await self._serve_spa(request)

    async def _own_endpoint(self, request: web.Request, path: str) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return _problem(405, "only GET is allowed here", headers={"Allow": "GET, HEAD"})
        no_store = {"Cache-Control": "no-store"}
        if path == "/health/live":
            return web.json_response({"status": "live"}, headers=no_store)
        if path == "/health/ready":
            try:
                async with asyncio.timeout(_READY_CHECK_TIMEOUT_S):
                    ready, body = await self._ready_check()
            except Exception as exc:  # noqa: BLE001 - a failing check is a 503, not a crash
                logger.warning("readiness check failed: %r", exc)
                ready, body = False, {"status": "not_ready", "error": type(exc).__name__}
            return web.json_response(body, status=200 if ready else 503, headers=no_store)
        return web.Response(
            body=generate_latest(self.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST, **no_store},
        )

    def _upstream_order(self, route: Route) -> list[str]:
        # Round-robin start, then the others in turn, so a dead replica is skipped, not fatal.
        count = len(route.upstreams)
        start = self._next_upstream.get(route.prefix, 0) % count
        self._next_upstream[route.prefix] = (start + 1) % count
        return [route.upstreams[(start + i) % count] for i in range(count)]

    @staticmethod
    def _target(request: web.Request) -> str:
        # The path and query exactly as received (percent-encoding untouched).
        raw = request.raw_path
        return raw if raw.startswith("/") else request.rel_url.raw_path_qs

    def _unreachable(self, route: Route, error: BaseException | None) -> web.Response:
        self._upstream_errors.labels(route.prefix).inc()
        logger.warning("%s is not reachable: %r", route.service, error)
        return _problem(502, f"{route.service} is not reachable")

    async def _proxy_http(self, request: web.Request, route: Route, rid: str) -> web.StreamResponse:
        assert self._session is not None
        headers = forward_request_headers(
            request.headers,
            client_ip=request.remote or "",
            proto=request.scheme,
            host=request.host,
            request_id=rid,
        )
        body = request.content if request.body_exists else None
        target = self._target(request)
        upstream: aiohttp.ClientResponse | None = None
        error: BaseException | None = None
        for base in self._upstream_order(route):
            try:
                upstream = await self._session.request(
                    request.method,
                    URL(base + target, encoded=True),
                    headers=headers,
                    data=body,
                    allow_redirects=False,
                )
                break
            except aiohttp.ClientConnectorError as exc:
                # Refused before any byte of the body was read: the next replica may take it.
                error = exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = exc
                break
        if upstream is None:
            return self._unreachable(route, error)
        try:
            return await self._relay(request, upstream, route, rid)
        finally:
            upstream.release()

    async def _relay(
        self, request: web.Request, upstream: aiohttp.ClientResponse, route: Route, rid: str
    ) -> web.StreamResponse:
        """Stream the upstream response to the client."""
        response = web.StreamResponse(
            status=upstream.status,
            reason=upstream.reason,
            headers=forward_response_headers(upstream.headers),
        )
        response.headers.setdefault("X-Request-ID", rid)
        try:
            await response.prepare(request)
            async for chunk in upstream.content.iter_chunked(_STREAM_CHUNK):
                await response.write(chunk)
            await response.write_eof()
        except ConnectionResetError:
            # The client went away (aiohttp's reset error is also a ClientError, hence first).
            pass
        except (aiohttp.ClientError, TimeoutError) as exc:
            # The upstream broke mid-body: the status is already sent, so cut the connection
            # rather than let the client take a truncated body for a whole one.
            self._upstream_errors.labels(route.prefix).inc()
            logger.warning("%s broke off a response: %r", route.service, exc)
            if request.transport is not None:
                request.transport.close()
        return response

    async def _proxy_websocket(
        self, request: web.Request, route: Route, rid: str
    ) -> web.StreamResponse:
        assert self._session is not None
        headers = forward_request_headers(
            request.headers,
            client_ip=request.remote or "",
            proto=request.scheme,
            host=request.host,
            request_id=rid,
        )
        for name in _WEBSOCKET_HANDSHAKE_HEADERS:
            headers.popall(name, None)
        protocols = [
            p.strip()
            for value in request.headers.getall("Sec-WebSocket-Protocol", [])
            for p in value.split(",")
            if p.strip()
        ]
        target = self._target(request)
        upstream: aiohttp.ClientWebSocketResponse | None = None
        error: BaseException | None = None
        for base in self._upstream_order(route):
            try:
                upstream = await self._session.ws_connect(
                    URL(base + target, encoded=True),
                    protocols=protocols,
                    origin=request.headers.get("Origin"),
                    headers=headers,
                    autoclose=False,
                    autoping=True,
                    heartbeat=None,
                    compress=0,
                    max_msg_size=_WS_MAX_MESSAGE_BYTES,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=10.0),
                )
                break
            except aiohttp.ClientConnectorError as exc:
                error = exc
            except aiohttp.WSServerHandshakeError as exc:
                # The service refused the upgrade (e.g. 401): pass its verdict on.
                if 400 <= exc.status < 500:
                    return _problem(exc.status, f"{route.service} refused the WebSocket")
                error = exc
                break
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = exc
                break
        if upstream is None:
            return self._unreachable(route, error)

        browser: web.WebSocketResponse = web.WebSocketResponse(
            # Offer exactly what the service chose, so both hops agree on the subprotocol.
            protocols=(upstream.protocol,) if upstream.protocol else (),
            autoclose=False,
            autoping=True,
            heartbeat=None,
            compress=False,
            max_msg_size=_WS_MAX_MESSAGE_BYTES,
        )
        browser.headers["X-Request-ID"] = rid
        try:
            await browser.prepare(request)
        except BaseException:
            await upstream.close(code=WSCloseCode.GOING_AWAY)
            raise
        self._websockets.add(browser)
        try:
            await _bridge(browser, upstream)
        finally:
            self._websockets.discard(browser)
            if not upstream.closed:
                await upstream.close(code=WSCloseCode.GOING_AWAY)
        return browser

    async def _serve_spa(self, request: web.Request) -> web.StreamResponse:
        response = self._spa_response(request)
        response.headers.update(_SPA_SECURITY_HEADERS)
        return response

    def _spa_response(self, request: web.Request) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return _problem(405, "the web app only answers GET", headers={"Allow": "GET, HEAD"})
        root = self.static_dir.resolve() if self.static_dir is not None else None
        if root is None or not (root / "index.html").is_file():
            return _problem(503, "web app not built")
        path = request.path
        found = _static_file(root, path)
        if found is not None:
            cache = _IMMUTABLE if path.startswith("/assets/") else "no-cache"
            return self._file(found, cache)
        if path.startswith("/assets/"):
            # A missing hashed asset must not turn into HTML that the browser runs as a script.
            return _problem(404, "no such asset")
        # A deep link (/r/ABCDEFGH): the SPA routes it in the browser.
        return self._file(root / "index.html", "no-cache")

    @staticmethod
    def _file(path: Path, cache_control: str) -> web.FileResponse:
        headers = {"Cache-Control": cache_control}
        content_type = _STATIC_TYPES.get(path.suffix.lower())
        if content_type is not None:
            headers["Content-Type"] = content_type
        return web.FileResponse(path, headers=headers)
