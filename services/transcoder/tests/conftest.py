"""The transcoder service in-process on the run's real PostgreSQL, Redis and NATS, and a real local
web server (aiohttp) serving media that ffmpeg made for the run: the links source validation fetches.

Two services run: ``transcoder`` with ``source_fetch_allow_private`` on, so it may fetch from the
local media server, and ``strict_transcoder`` with the production default (off). The clock is a
ManualClock the tests move (it drives only rate limits here). Every client comes from a fresh
address (``X-Forwarded-For``, trusted from 127.0.0.1), so tests do not share rate-limit windows.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import web

from syncwatch.core.clock import ManualClock
from syncwatch.core.runtime import ServiceDefinition, ServiceRunner
from syncwatch.testing.clients import client_from, next_ip
from syncwatch.testing.plugin import Infra
from syncwatch.testing.services import local_settings, until_ready
from syncwatch.transcoder.service import Settings, build

PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>A film</title></head><body><video></video></body></html>"
)


def ffmpeg_exe() -> str:
    """The machine's ffmpeg, else the static one the imageio-ffmpeg wheel brings."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        timeout=120,
    )


def make_media(directory: Path) -> dict[str, Path]:
    """Real media files made by ffmpeg: mp4 (bigger than the 64 KiB read), webm, mkv, an HLS
    playlist with its segments, m4a audio, a png still."""
    src = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"]
    small = ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=1"]
    h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    files = {
        "clip.mp4": directory / "clip.mp4",
        "clip.webm": directory / "clip.webm",
        "clip.mkv": directory / "clip.mkv",
        "index.m3u8": directory / "hls" / "index.m3u8",
        "audio.m4a": directory / "audio.m4a",
        "still.png": directory / "still.png",
    }
    _ffmpeg(*src, *h264, "-crf", "18", "-movflags", "+faststart", str(files["clip.mp4"]))
    _ffmpeg(*small, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
            str(files["clip.webm"]))  # fmt: skip
    _ffmpeg(*small, *h264, str(files["clip.mkv"]))
    files["index.m3u8"].parent.mkdir()
    _ffmpeg(*small, *h264, "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
            str(files["index.m3u8"]))  # fmt: skip
    _ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", str(files["audio.m4a"]))
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=32x32", "-frames:v", "1", str(files["still.png"]))
    return files


@dataclass
class MediaServer:
    """A local web server with media files, pages and redirects; it records what it was asked."""

    host: str
    port: int
    files: dict[str, Path]
    #: (path, headers) of every request, in order.
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


def _media_app(server: MediaServer) -> web.Application:
    files = server.files

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        server.requests.append((request.path, dict(request.headers)))
        response: web.StreamResponse = await handler(request)
        return response

    async def media(request: web.Request) -> web.StreamResponse:
        # FileResponse answers Range requests with 206, as a CDN does; types by file extension.
        name = request.match_info["name"]
        path = files.get(name) or files["index.m3u8"].parent / name
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    async def raw(request: web.Request) -> web.Response:
        # Whole files (Range ignored) under a generic type and no extension: only bytes tell.
        name, content_type = {
            "mp4": ("clip.mp4", "application/octet-stream"),
            "webm": ("clip.webm", "application/octet-stream"),
            "hls": ("index.m3u8", "text/plain"),
        }[request.match_info["kind"]]
        return web.Response(body=files[name].read_bytes(), content_type=content_type)

    def page(headers: dict[str, str]) -> Any:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=PAGE, content_type="text/html", headers=headers)

        return handler

    async def redirect(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound("/media/clip.mp4" if n == 0 else f"/redirect/{n - 1}")

    def redirect_to(location: str) -> Any:
        async def handler(request: web.Request) -> web.Response:
            raise web.HTTPFound(location)

        return handler

    async def goto(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["url"])

    async def text(request: web.Request) -> web.Response:
        return web.Response(text="Just some notes, no video here.\n")

    async def broken(request: web.Request) -> web.Response:
        raise web.HTTPInternalServerError()

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(body=files["clip.mp4"].read_bytes()[:1024], content_type="video/mp4")

    async def endless(request: web.Request) -> web.StreamResponse:
        # An MP4 header, then bytes forever: a fetch must stop after what it needs.
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        await response.prepare(request)
        await response.write(files["clip.mp4"].read_bytes()[:4096])
        with contextlib.suppress(ConnectionError):
            for _ in range(100_000):
                await response.write(b"\x00" * 65536)
        return response

    app = web.Application(middlewares=[record])
    app.router.add_get("/media/{name}", media)
    app.router.add_get("/raw/{kind}", raw)
    app.router.add_get("/page/plain", page({}))
    app.router.add_get("/page/deny", page({"X-Frame-Options": "DENY"}))
    app.router.add_get("/page/sameorigin", page({"X-Frame-Options": "SAMEORIGIN"}))
    app.router.add_get(
        "/page/csp-none",
        page({"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"}),
    )
    app.router.add_get(
        "/page/csp-any",
        page({"Content-Security-Policy": "frame-ancestors *", "X-Frame-Options": "DENY"}),
    )
    app.router.add_get("/redirect/{n:\\d+}", redirect)
    app.router.add_get("/to-youtube", redirect_to("https://youtu.be/dQw4w9WgXcQ"))
    app.router.add_get("/to-ftp", redirect_to("ftp://files.example.com/clip.mp4"))
    app.router.add_get("/goto", goto)
    app.router.add_get("/notes.txt", text)
    app.router.add_get("/broken", broken)
    app.router.add_get("/slow", slow)
    app.router.add_get("/endless", endless)
    return app


@contextlib.asynccontextmanager
async def serve_media(files: dict[str, Path], *hosts: str) -> AsyncIterator[MediaServer]:
    """The media app on an ephemeral port on each of ``hosts`` (the same port on all of them)."""
    server = MediaServer(hosts[0], 0, files)
    runner = web.AppRunner(_media_app(server), access_log=None)
    await runner.setup()
    try:
        # Port 0: the kernel picks from its ephemeral range, never one of the browsers' bad ports.
        first = web.TCPSite(runner, hosts[0], 0)
        await first.start()
        server.port = runner.addresses[0][1]
        for host in hosts[1:]:
            await web.TCPSite(runner, host, server.port).start()
        yield server
    finally:
        await runner.cleanup()


@pytest.fixture(scope="session")
def media_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The run's media files, made once."""
    return make_media(tmp_path_factory.mktemp("media"))


@pytest_asyncio.fixture(scope="session")
async def media_server(media_files: dict[str, Path]) -> AsyncIterator[MediaServer]:
    """The media server on 127.0.0.1."""
    async with serve_media(media_files, "127.0.0.1") as server:
        yield server


@dataclass
class TranscoderUnderTest:
    """The running service and what tests reach into."""

    runner: ServiceRunner
    definition: ServiceDefinition
    settings: Settings
    clock: ManualClock

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    next_ip = staticmethod(next_ip)

    def client(self, ip: str | None = None) -> httpx.AsyncClient:
        """A client coming from its own IP address."""
        return client_from(self.base_url, ip)

    async def validate(self, url: str, *, ip: str | None = None) -> dict[str, Any]:
        """``POST /api/videos/validate-source`` with ``url``; the 200 answer's body."""
        async with self.client(ip) as c:
            resp = await c.post("/api/videos/validate-source", json={"url": url})
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        return body


@contextlib.asynccontextmanager
async def _transcoder(infra: Infra, *, allow_private: bool) -> AsyncIterator[TranscoderUnderTest]:
    settings = local_settings(
        Settings,
        infra,
        source_fetch_allow_private=allow_private,
    )
    clock = ManualClock()
    definition = build(settings, clock=clock)
    runner = ServiceRunner(definition)
    await runner.start()
    try:
        await until_ready(settings.http_port)
        yield TranscoderUnderTest(runner, definition, settings, clock)
    finally:
        await runner.stop()


@pytest_asyncio.fixture(scope="session")
async def transcoder(infra: Infra) -> AsyncIterator[TranscoderUnderTest]:
    """The service, allowed to fetch from private addresses (the local media server)."""
    async with _transcoder(infra, allow_private=True) as service:
        yield service


@pytest_asyncio.fixture(scope="session")
async def strict_transcoder(infra: Infra) -> AsyncIterator[TranscoderUnderTest]:
    """The service as deployed: private addresses refused."""
    async with _transcoder(infra, allow_private=False) as service:
        yield service
