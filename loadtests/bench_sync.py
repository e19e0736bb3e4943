"""Sync-precision benchmark: real browsers watching one video together through slow, jittery links
with wrong clocks, next to a naive apply-on-receipt client measured the same way in the same run.

    make bench-sync                                   # 4 viewers, 30 fps, ~2.5 minutes
    python loadtests/bench_sync.py --viewers 5 --fps 60

What it does, all on loopback:

- starts the embedded stack (``syncwatch.devstack``, the SPA from ``services/web/dist``) in a
  temporary home, with every origin below allowed and source validation allowed to fetch loopback
  links (``TRANSCODER_SOURCE_FETCH_ALLOW_PRIVATE``, for this bench only);
- makes a 60 s H.264 + AAC MP4 with ffmpeg (keyframes every second, a burned-in frame counter) and
  serves it from a small aiohttp server with byte ranges and ``Access-Control-Allow-Origin: *``;
- gives each viewer its own TCP proxy in front of the stack that delays each direction: a base
  one-way latency spread over 5-250 ms, +-20 % jitter, and now and then a spike (order kept, so a
  spike holds back what follows, as on a real link);
- opens each viewer in its own Chromium context at ``http://127.0.0.1:<its proxy>`` with a clock
  that is wrong by seconds to minutes (``Date`` and ``performance.timeOrigin`` shifted by an init
  script; the true values are kept in a hidden global for the measurement);
- **app**: viewer 0 registers, creates a room (only the owner controls playback), the others join as
  guests from the invite link; the owner picks the video, plays, seeks to 30 s;
- **naive**: the same viewers (same latencies, same wrong clocks) open a standalone page served by
  the bench that joins a room over the WebSocket with a guest token and applies each
  ``sync:command`` the moment it arrives (``video.src``, ``play()``, ``pause()``,
  ``currentTime =``), with no clock and no correction; the bench drives that room as its owner.

Every page records ``(true wall time of expectedDisplayTime, mediaTime)`` for each presented frame
(``requestVideoFrameCallback``) and samples its media clock (``currentTime``) every 20 ms.
Inter-viewer drift at common instants is the difference of the interpolated media positions of each
pair; seek re-convergence is the time from the seek command until every pair is within 17 ms
(33 ms), first for 200 ms ("reached") and for good ("held"). The app's clock-offset estimate is read
from its ``sync:report`` frames (Playwright sees the page's WebSocket) and compared with the offset
injected. Figures are printed, never asserted. loadtests/README.md has measured figures.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

# The gateway bench's helpers (this script's folder is on sys.path when it runs as a script).
from bench_gateway import Signer, bench_home
from playwright.async_api import Browser, BrowserContext, Page, WebSocket, async_playwright
from websockets.asyncio.client import ClientConnection, connect

from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig, wait_ready

REPO = Path(__file__).resolve().parents[1]
WEB_DIST = REPO / "services" / "web" / "dist"
PROTOCOL = "1.0.0"

#: Those of libs/devstack/tests/e2e/conftest.py, plus autoplay without a gesture.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]

#: One-way base latency (ms) and clock error (ms) of viewer k; viewer 0 owns the room.
BASE_LATENCY_MS = (60, 250, 5, 120, 185)
CLOCK_OFFSET_MS = (-90_000, 37_000, 300_000, -5_000, 61_700)

SEEK_TARGET_S = 30.0
THRESHOLDS_MS = (17.0, 33.0)
WAIT_S = 30.0  # any single wait for the page or the stack

# ---------------------------------------------------------------------------------------------
# The test video and the static server


def ffmpeg_exe() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg  # type: ignore[import-not-found]
    except ImportError:
        sys.exit(
            "bench-sync needs ffmpeg: `apt-get install ffmpeg` (or pip install imageio-ffmpeg)"
        )
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def make_video(directory: Path, fps: int, size: str, seconds: int = 60) -> Path:
    """A test card with the frame number burned in, H.264 + AAC, a keyframe every second,
    ``+faststart`` (the index first, so playback starts after one range request)."""
    out = directory / f"test-{fps}fps.mp4"
    counter = (
        "drawtext=text='%{frame_num}  %{pts\\:hms}':x=16:y=16:fontsize=36:"
        "fontcolor=white:box=1:boxcolor=black@0.7"
    )
    base = [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size={size}:rate={fps}:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:sample_rate=48000:duration={seconds}",
    ]
    encode = [
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-g",
        str(fps),
        "-keyint_min",
        str(fps),
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-b:a",
        "96k",
        "-movflags",
        "+faststart",
        "-shortest",
        str(out),
    ]
    try:
        subprocess.run([*base, "-vf", counter, *encode], check=True, timeout=120)
    except subprocess.CalledProcessError:  # no drawtext (no libfreetype / font): plain test card
        subprocess.run([*base, *encode], check=True, timeout=120)
    return out


NAIVE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>naive apply-on-receipt client</title></head>
<body style="margin:0;background:#000">
<video id="v" playsinline preload="auto" style="width:640px;height:360px"></video>
<script>
// The baseline: no clock sync, no correction; each sync:command is applied when it arrives.
const q = new URLSearchParams(location.search);
const v = document.getElementById('v');
const naive = { joined: false, errors: [], applied: [] };
window.__naive = naive;
const ws = new WebSocket(q.get('ws'));
const send = (type, data, id) => ws.send(JSON.stringify({ type, data, id }));
ws.onopen = () => send('hello', {
  protocolVersion: '1.0.0',
  clientId: Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2),
  token: q.get('token'),
}, 1);
ws.onclose = (ev) => naive.errors.push('closed ' + ev.code);
ws.onmessage = (ev) => {
  const f = JSON.parse(ev.data);
  if (f.type === 'hello') send('room:join', { roomCode: q.get('code') }, 2);
  else if (f.type === 'sync:state_snapshot' || f.type === 'sync:catchup') naive.joined = true;
  else if (f.type === 'room:error') naive.errors.push(JSON.stringify(f.data));
  else if (f.type === 'sync:command') {
    const c = f.data;
    if (c.type === 'SOURCE') v.src = c.sourceId || c.state.sourceId;
    else if (c.type === 'PLAY') v.play().catch((e) => naive.errors.push(String(e)));
    else if (c.type === 'PAUSE') v.pause();
    else if (c.type === 'SEEK') v.currentTime = c.targetMediaTime / 1000;
    else if (c.type === 'SET_RATE') v.playbackRate = c.rate;
    naive.applied.push([window.__benchTrue.now(), c.type, c.sequenceNumber]);
  }
};
</script></body></html>
"""


@web.middleware
async def cors(request: web.Request, handler: Any) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "Content-Range, Content-Length, Accept-Ranges"
    )
    return response


class StaticServer:
    """The video (``FileResponse`` answers Range requests) and the naive client's page."""

    def __init__(self, video: Path) -> None:
        self.port = free_port()
        self.video = video
        self._runner: web.AppRunner | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def video_url(self) -> str:
        return f"{self.origin}/{self.video.name}"

    async def start(self) -> None:
        app = web.Application(middlewares=[cors])

        async def video(_: web.Request) -> web.StreamResponse:
            return web.FileResponse(self.video, headers={"Content-Type": "video/mp4"})

        async def naive(_: web.Request) -> web.Response:
            return web.Response(text=NAIVE_PAGE, content_type="text/html")

        app.router.add_get(f"/{self.video.name}", video)
        app.router.add_get("/naive.html", naive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


# ---------------------------------------------------------------------------------------------
# The delaying proxy


class DelayProxy:
    """An app-level TCP proxy to ``upstream_port`` that holds every chunk for a one-way delay.

    Each direction of each connection is a FIFO: a chunk leaves at ``max(arrival + delay,
    previous departure)``, so order is kept and a spike delays what queued behind it. The delay is
    ``base x (1 ± jitter)``, plus with probability ``spike_p`` a spike of 50-150 ms, capped at
    ``base x (1 + jitter) + 150 ms``.
    """

    def __init__(
        self,
        upstream_port: int,
        base_ms: float,
        *,
        jitter: float,
        spike_p: float,
        seed: int,
    ) -> None:
        self.upstream_port = upstream_port
        self.base_ms = base_ms
        self.jitter = jitter
        self.spike_p = spike_p
        self.rng = random.Random(seed)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def delay_s(self) -> float:
        d = self.base_ms * (1 + self.rng.uniform(-self.jitter, self.jitter))
        if self.rng.random() < self.spike_p:
            d += self.rng.uniform(50, 150)
        return min(d, self.base_ms * (1 + self.jitter) + 150) / 1000

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for w in list(self._writers):
            w.close()
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.upstream_port), 10
            )
        except (OSError, TimeoutError):
            writer.close()
            self._tasks.discard(task)
            self._writers.discard(writer)
            return
        self._writers.add(up_writer)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in (writer, up_writer):
                w.close()
                self._writers.discard(w)
            self._tasks.discard(task)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    with contextlib.suppress(OSError, RuntimeError):
                        if dst.can_write_eof():
                            dst.write_eof()
                    return
                dst.write(data)
                await dst.drain()

        sender = asyncio.create_task(deliver())
        last = 0.0
        try:
            while True:
                try:
                    data = await src.read(65536)
                except OSError:
                    data = b""
                last = max(loop.time() + self.delay_s(), last)
                queue.put_nowait((last, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()


# ---------------------------------------------------------------------------------------------
# The page side: wrong clock, true clock kept, frame recorder

INIT_SCRIPT = """
(() => {
  const OFFSET = __OFFSET__;
  const SELECTOR = __SELECTOR__;
  const perf = performance;
  const realOrigin = perf.timeOrigin;
  const realNow = perf.now.bind(perf);
  const RealDate = Date;
  const realDateNow = RealDate.now.bind(RealDate);
  const truth = {
    offsetMs: OFFSET, timeOrigin: realOrigin, now: () => realOrigin + realNow(),
    dateNow: realDateNow, frames: [], clock: [], videos: 0,
  };
  Object.defineProperty(window, '__benchTrue', { value: truth, enumerable: false });
  // The wrong clock: Date and performance.timeOrigin (so timeOrigin + now() and
  // timeOrigin + expectedDisplayTime move with it); performance.now() stays as it is.
  Object.defineProperty(perf, 'timeOrigin', { get: () => realOrigin + OFFSET, configurable: true, enumerable: true });
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(realDateNow() + OFFSET).toString();
    return args.length === 0 ? new RealDate(realDateNow() + OFFSET) : new RealDate(...args);
  }
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = () => realDateNow() + OFFSET;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  window.Date = ShiftedDate;
  // Every presented frame of the watched <video> (re-found when the page mounts a new one).
  let watched = null;
  const watch = () => {
    const v = document.querySelector(SELECTOR);
    if (v === null || v === watched) return;
    watched = v;
    truth.videos += 1;
    const gen = truth.videos;
    const onFrame = (_now, m) => {
      truth.frames.push([realOrigin + m.expectedDisplayTime, m.mediaTime * 1000, gen]);
      if (watched === v) v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  };
  setInterval(watch, 50);
  // The media clock itself, free of the display's vsync: currentTime read in a task of its own.
  setInterval(() => {
    const v = watched;
    if (v !== null && v.readyState >= 2) truth.clock.push([realOrigin + realNow(), v.currentTime * 1000, truth.videos]);
  }, 20);
})();
"""


#: Software compositing (headless, no GPU, 2 cores) re-blurs every ``backdrop-filter`` layer over
#: the video on each video frame: with the app's glass controls and chip, 4 viewers presented
#: 2-7 frames/s at 1280x800, 15 without. The bench turns the blur off (a cosmetic change) unless
#: --keep-blur.
NO_BLUR_SCRIPT = """
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { backdrop-filter: none !important; -webkit-backdrop-filter: none !important; }';
  document.head.appendChild(style);
});
"""


def init_script(offset_ms: float, selector: str) -> str:
    return INIT_SCRIPT.replace("__OFFSET__", repr(float(offset_ms))).replace(
        "__SELECTOR__", json.dumps(selector)
    )


def now_ms() -> float:
    """The true wall clock (the same one the pages' ``__benchTrue`` and the server read)."""
    return time.time() * 1000


@dataclass
class Viewer:
    index: int
    base_ms: float
    offset_ms: float
    proxy: DelayProxy
    context: BrowserContext | None = None
    page: Page | None = None
    #: ``sync:report`` frames the page sent (the app's own view of its sync).
    reports: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    #: ``sync:command`` frames the page received.
    commands: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Presented frames: (true display time, media ms).
    frames: Series = field(default_factory=list)
    #: The media clock (``currentTime``) sampled every 20 ms: (true time, media ms).
    clock: Series = field(default_factory=list)

    async def open(
        self, browser: Browser, selector: str, viewport: tuple[int, int], *, no_blur: bool = False
    ) -> Page:
        self.context = await browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}
        )
        self.context.set_default_timeout(WAIT_S * 1000)
        await self.context.add_init_script(init_script(self.offset_ms, selector))
        if no_blur:
            await self.context.add_init_script(NO_BLUR_SCRIPT)
        page = await self.context.new_page()
        self.page = page
        page.on("websocket", self._on_socket)
        page.on(
            "console",
            lambda m: self.problems.append(m.text[:300]) if m.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"[:300]))
        return page

    def _on_socket(self, ws: WebSocket) -> None:
        def sent(payload: str | bytes) -> None:
            if isinstance(payload, str) and '"sync:report"' in payload:
                self.reports.append((now_ms(), json.loads(payload)["data"]))

        def received(payload: str | bytes) -> None:
            if isinstance(payload, str) and '"sync:command"' in payload:
                self.commands.append((now_ms(), json.loads(payload)["data"]))

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    async def collect(self) -> None:
        assert self.page is not None
        raw = await self.page.evaluate("[window.__benchTrue.frames, window.__benchTrue.clock]")
        self.frames = series_of(raw[0])
        self.clock = series_of(raw[1])

    async def close(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                await self.context.close()
        self.context = None
        self.page = None


def series_of(raw: Sequence[Sequence[float]]) -> Series:
    """``(true ms, media ms)`` points of the last video element the page showed, in time order."""
    if not raw:
        return []
    last = raw[-1][-1]
    return sorted((float(r[0]), float(r[1])) for r in raw if r[-1] == last)


# ---------------------------------------------------------------------------------------------
# Analysis

Series = list[tuple[float, float]]


class Track:
    """One viewer's media position over true time, from ``(true ms, media ms)`` points: linear
    between neighbouring points, unknown across a gap longer than ``max_gap`` (a pause with no
    frames, a stall), across a jump in media time (a seek) and outside the record."""

    def __init__(self, points: Series, max_gap: float) -> None:
        self.points = points
        self.times = [p[0] for p in points]
        self.max_gap = max_gap

    def at(self, t: float) -> float | None:
        i = bisect.bisect_right(self.times, t) - 1
        if i < 0 or i + 1 >= len(self.points):
            return None
        (t0, m0), (t1, m1) = self.points[i], self.points[i + 1]
        if t1 - t0 > self.max_gap or t1 <= t0:
            return None
        if not 0 <= m1 - m0 <= 2 * (t1 - t0) + 40:
            return None
        return m0 + (t - t0) * (m1 - m0) / (t1 - t0)


@dataclass
class Drift:
    abs_ms: list[float]
    samples: int
    known: int

    def pct(self, q: float) -> float:
        if not self.abs_ms:
            return math.nan
        s = sorted(self.abs_ms)
        return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def instants(start: float, end: float, step: float) -> list[float]:
    return [start + i * step for i in range(max(0, math.ceil((end - start) / step)))]


def drift(tracks: Sequence[Track], start: float, end: float, step: float = 10.0) -> Drift:
    """|position_i - position_j| for every pair at every ``step`` ms in ``[start, end)``."""
    out: list[float] = []
    samples = 0
    for t in instants(start, end, step):
        pos = [tr.at(t) for tr in tracks]
        for a, b in combinations(pos, 2):
            samples += 1
            if a is not None and b is not None:
                out.append(abs(a - b))
    return Drift(out, samples, len(out))


@dataclass
class Reconvergence:
    """Ms from the seek command until every pair is within the threshold, with every viewer past
    the seek target: ``reached`` (first held for ``hold_ms``) and ``held`` (held to the end of the
    window, for at least ``hold_s``). None: not within the window."""

    reached: float | None
    held: float | None


def reconvergence(
    tracks: Sequence[Track],
    seek_at: float,
    end: float,
    threshold: float,
    target_ms: float,
    step: float = 5.0,
    hold_ms: float = 200.0,
    hold_s: float = 1.0,
) -> Reconvergence:
    times = instants(seek_at, end, step)
    ok = []
    for t in times:
        pos = [tr.at(t) for tr in tracks]
        known = [p for p in pos if p is not None]
        ok.append(
            len(known) == len(pos)
            and min(known) >= target_ms - 50
            and max(known) - min(known) <= threshold
        )
    need = round(hold_ms / step)
    reached = next(
        (times[i] - seek_at for i in range(len(ok) - need) if all(ok[i : i + need])), None
    )
    held = None
    if ok and ok[-1]:
        i = len(ok) - 1
        while i > 0 and ok[i - 1]:
            i -= 1
        if end - times[i] >= hold_s * 1000:  # a good stretch too short at the end is no "held"
            held = times[i] - seek_at
    return Reconvergence(reached, held)


def room_position(commands: Sequence[dict[str, Any]], t: float) -> float | None:
    """Where the room says the media is at server time ``t`` (the anchor model; the server's clock
    is the true clock here, one machine)."""
    state = None
    for c in sorted(commands, key=lambda c: c["sequenceNumber"]):
        if c["atServerTime"] <= t:
            state = c["state"]
    if state is None:
        return None
    if not state["isPlaying"]:
        return float(state["anchorMediaTime"])
    elapsed = t - state["anchorServerTime"]
    return float(state["anchorMediaTime"] + elapsed * state["playbackRate"])


def room_error(
    track: Track, commands: Sequence[dict[str, Any]], start: float, end: float, step: float = 10.0
) -> list[float]:
    """Position - the room's position (ms; positive: ahead) at each instant."""
    out = []
    for t in instants(start, end, step):
        p = track.at(t)
        r = room_position(commands, t)
        if p is not None and r is not None:
            out.append(p - r)
    return out


@dataclass
class Measure:
    """The figures from one way of reading positions (presented frames, or the media clock)."""

    steady: Drift
    reconverge: dict[float, Reconvergence]
    settled: Drift
    room_error_ms: list[list[float]]

    @classmethod
    def of(
        cls,
        tracks: Sequence[Track],
        commands: Sequence[dict[str, Any]],
        steady: tuple[float, float],
        seek_at: float,
        end: float,
    ) -> Measure:
        target = SEEK_TARGET_S * 1000
        reconverge = {th: reconvergence(tracks, seek_at, end, th, target) for th in THRESHOLDS_MS}
        # After the seek: from when the 33 ms band was reached (else the last 3 s) to the end.
        after = reconverge[THRESHOLDS_MS[-1]].reached
        settled_from = seek_at + after if after is not None else end - 3000
        return cls(
            steady=drift(tracks, *steady),
            reconverge=reconverge,
            settled=drift(tracks, settled_from, end),
            room_error_ms=[room_error(tr, commands, *steady) for tr in tracks],
        )


@dataclass
class Result:
    name: str
    presented: Measure
    clock: Measure
    offset_error_ms: list[float | None]
    #: Over every report from the steady window to the end: (median |error|, max |error|).
    offset_error_spread_ms: list[tuple[float, float] | None]
    reported_drift_ms: list[float | None]
    presented_fps: list[float]
    notes: list[str] = field(default_factory=list)


def analyse(
    name: str,
    viewers: Sequence[Viewer],
    commands: Sequence[dict[str, Any]],
    steady: tuple[float, float],
    seek_at: float,
    end: float,
    fps: int,
) -> Result:
    # Frames further apart than this are not interpolated across. Headless software rendering may
    # present fewer frames than the video has, hence not just 3-4 frame intervals.
    frame_gap = max(3.5 * 1000 / fps, 250.0)
    presented = [Track(v.frames, frame_gap) for v in viewers]
    clock = [Track(v.clock, 150.0) for v in viewers]
    offset_errors: list[float | None] = []
    offset_spreads: list[tuple[float, float] | None] = []
    for v in viewers:
        estimates = [r["clockOffsetMs"] for _, r in v.reports if r.get("clockOffsetMs") is not None]
        # The engine's offset is server clock - local clock; local = true + injected, server = true.
        offset_errors.append(estimates[-1] + v.offset_ms if estimates else None)
        during = [
            abs(r["clockOffsetMs"] + v.offset_ms)
            for t, r in v.reports
            if steady[0] <= t <= end and r.get("clockOffsetMs") is not None
        ]
        offset_spreads.append((statistics.median(during), max(during)) if during else None)
    window_s = (steady[1] - steady[0]) / 1000
    return Result(
        name=name,
        presented=Measure.of(presented, commands, steady, seek_at, end),
        clock=Measure.of(clock, commands, steady, seek_at, end),
        offset_error_ms=offset_errors,
        offset_error_spread_ms=offset_spreads,
        reported_drift_ms=[
            median(
                [
                    abs(r["driftMs"])
                    for t, r in v.reports
                    if steady[0] <= t < steady[1] and r.get("driftMs") is not None
                ]
            )
            for v in viewers
        ],
        presented_fps=[
            sum(1 for t, _ in v.frames if steady[0] <= t < steady[1]) / window_s for v in viewers
        ],
    )


# ---------------------------------------------------------------------------------------------
# Scenario helpers


async def until(predicate: Callable[[], Any], what: str, timeout_s: float = WAIT_S) -> Any:
    """Poll ``predicate`` (sync or async) every 100 ms until it is truthy, at most ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        await asyncio.sleep(0.1)


async def all_ready(viewers: Sequence[Viewer], selector: str) -> bool:
    """Every viewer's video has its first frames (readyState ≥ HAVE_FUTURE_DATA)."""
    for v in viewers:
        assert v.page is not None
        state = await v.page.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " return e === null ? -1 : e.readyState; })()"
        )
        if state < 3:
            return False
    return True


class Owner:
    """The bench's own protocol client for the naive room (connected straight to the edge)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.next_id = 10
        self.commands: list[dict[str, Any]] = []
        self._acks: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def join(cls, url: str, token: str, code: str) -> Owner:
        ws = await connect(url, open_timeout=WAIT_S, compression=None)
        await ws.send(
            json.dumps(
                {
                    "type": "hello",
                    "id": 1,
                    "data": {
                        "protocolVersion": PROTOCOL,
                        "clientId": uuid.uuid4().hex,
                        "token": token,
                    },
                }
            )
        )
        await asyncio.wait_for(ws.recv(), WAIT_S)
        await ws.send(json.dumps({"type": "room:join", "id": 2, "data": {"roomCode": code}}))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))
            if frame["type"] in ("sync:state_snapshot", "sync:catchup"):
                return cls(ws)
            if frame["type"] == "room:error":
                raise RuntimeError(frame)

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] == "sync:command":
                    self.commands.append(frame["data"])
                fut = self._acks.pop(frame.get("id"), None) if "id" in frame else None
                if fut is not None and not fut.done():
                    fut.set_result(frame)

    async def send(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[self.next_id] = fut
        await self.ws.send(json.dumps({"type": type_, "id": self.next_id, "data": data}))
        answer = await asyncio.wait_for(fut, WAIT_S)
        if answer["type"] != "ack":
            raise RuntimeError(f"{type_}: {answer}")
        return answer

    async def close(self) -> None:
        self._reader.cancel()
        await self.ws.close()


# ---------------------------------------------------------------------------------------------
# The two runs


@dataclass
class Bench:
    args: argparse.Namespace
    stack: DevStack
    static: StaticServer
    proxies: list[DelayProxy]
    browser: Browser
    signer: Signer

    def viewers(self) -> list[Viewer]:
        return [Viewer(k, p.base_ms, CLOCK_OFFSET_MS[k], p) for k, p in enumerate(self.proxies)]

    async def timeline(
        self,
        viewers: Sequence[Viewer],
        selector: str,
        play: Callable[[], Any],
        seek: Callable[[], Any],
    ) -> tuple[tuple[float, float], float, float]:
        """Play, measure the steady window, seek, watch re-convergence. Returns the steady window,
        the seek instant and the end (true ms)."""
        await until(lambda: all_ready(viewers, selector), "every viewer's video to load")
        await play()
        await asyncio.sleep(self.args.settle)
        steady = (now_ms(), now_ms() + self.args.steady * 1000)
        await asyncio.sleep(self.args.steady)
        seek_at = now_ms()
        await seek()
        await asyncio.sleep(self.args.after_seek)
        end = now_ms()
        # Every page samples its media clock every 20 ms: wait for samples past the end, so the
        # window's last instants are known for every viewer (the first page used to be read at
        # once, its last sample up to 20 ms before the end: "held" then failed on the edge).
        await asyncio.sleep(0.1)
        for v in viewers:
            await v.collect()
        return steady, seek_at, end

    def dump(
        self,
        name: str,
        viewers: Sequence[Viewer],
        commands: Sequence[dict[str, Any]],
        steady: tuple[float, float],
        seek_at: float,
        end: float,
    ) -> None:
        """With ``--dump DIR``: everything measured, as JSON, for a closer look."""
        if self.args.dump is None:
            return
        self.args.dump.mkdir(parents=True, exist_ok=True)
        body = {
            "steady": steady,
            "seekAt": seek_at,
            "end": end,
            "commands": list(commands),
            "viewers": [
                {
                    "index": v.index,
                    "baseMs": v.base_ms,
                    "offsetMs": v.offset_ms,
                    "frames": v.frames,
                    "clock": v.clock,
                    "reports": v.reports,
                }
                for v in viewers
            ],
        }
        (self.args.dump / f"{name}.json").write_text(json.dumps(body))

    # -- the app ------------------------------------------------------------------------------

    async def run_app(self) -> Result:
        selector = '[data-testid="player-video"]'
        viewers = self.viewers()
        try:
            for v in viewers:
                await v.open(
                    self.browser, selector, self.args.viewport, no_blur=not self.args.keep_blur
                )
            owner = viewers[0]
            page = owner.page
            assert page is not None
            run_id = uuid.uuid4().hex[:8]
            username = f"bench_{run_id}"
            await page.goto(owner.proxy.origin + "/register")
            await page.get_by_test_id("register-email").fill(f"{username}@example.com")
            await page.get_by_test_id("register-username").fill(username)
            await page.get_by_test_id("register-password").fill(f"bench watches films {run_id}")
            await page.get_by_test_id("register-submit").click()
            await page.wait_for_url(owner.proxy.origin + "/")
            await page.get_by_test_id("create-room").click()
            await page.get_by_test_id("room-name").fill("bench-sync")
            with contextlib.suppress(Exception):
                await (
                    page.get_by_test_id("playback-control")
                    .get_by_text("Only me")
                    .click(timeout=3000)
                )
            await page.get_by_test_id("create-room-submit").click()
            await page.wait_for_url(re.compile(r"/r/[A-HJ-NP-Z2-9]{8}$"))
            code = page.url.rsplit("/", 1)[1]
            for v in viewers[1:]:
                assert v.page is not None
                await v.page.goto(f"{v.proxy.origin}/r/{code}")
                await v.page.get_by_test_id("guest-name").fill(f"viewer{v.index}")
                await v.page.get_by_test_id("join-room").click()
            for v in viewers[1:]:
                assert v.page is not None
                await v.page.get_by_test_id("participant-list").get_by_text(username).wait_for()

            await page.get_by_test_id("source-url").fill(self.static.video_url)
            await page.get_by_test_id("source-submit").click()
            await until(lambda: _has_videos(viewers, selector), "the player on every page")
            await click_join_playback(viewers)

            async def play() -> None:
                await page.get_by_test_id("play-pause").click()

            async def seek() -> None:
                await seek_with_bar(page, SEEK_TARGET_S, selector)

            steady, seek_at, end = await self.timeline(viewers, selector, play, seek)
            commands = [c for _, c in owner.commands]
            result = analyse(
                "SyncWatch app", viewers, commands, steady, seek_at, end, self.args.fps
            )
            self.dump("app", viewers, commands, steady, seek_at, end)
            for v in viewers:
                result.notes += [f"viewer {v.index}: {p}" for p in v.problems[:3]]
            return result
        finally:
            for v in viewers:
                await v.close()

    # -- the naive baseline -------------------------------------------------------------------

    async def run_naive(self) -> Result:
        selector = "#v"
        viewers = self.viewers()
        room = next(i for i in self.stack.instances.values() if i.kind.name == "room")
        _, owner_token = self.signer.token()
        # Viewer 0 is the owner, as in the app run (its page and the bench's controller share the
        # owner's token: one member, two sockets); the others join as guests.
        tokens: list[str] = [owner_token]
        async with httpx.AsyncClient(base_url=room.http_url, timeout=WAIT_S) as c:
            r = await c.post(
                "/api/rooms",
                json={"name": "bench-naive", "maxParticipants": 5, "playbackControl": "owner_only"},
                headers={"Authorization": f"Bearer {owner_token}", "X-Forwarded-For": "10.9.0.1"},
            )
            r.raise_for_status()
            code = r.json()["room"]["code"]
            for v in viewers[1:]:
                j = await c.post(
                    f"/api/rooms/{code}/join",
                    json={"guestName": f"naive{v.index}"},
                    headers={"X-Forwarded-For": f"10.9.1.{v.index + 1}"},
                )
                j.raise_for_status()
                tokens.append(j.json()["guestToken"])
        # The bench drives the room as viewer 0 would: through viewer 0's proxy.
        owner = await Owner.join(f"ws://127.0.0.1:{viewers[0].proxy.port}/ws", owner_token, code)
        try:
            for v, token in zip(viewers, tokens, strict=True):
                page = await v.open(self.browser, selector, self.args.viewport)
                ws_url = f"ws://127.0.0.1:{v.proxy.port}/ws"
                await page.goto(
                    f"{self.static.origin}/naive.html?"
                    + str(httpx.QueryParams({"ws": ws_url, "token": token, "code": code}))
                )
            for v in viewers:
                assert v.page is not None
                page = v.page
                await until(lambda p=page: p.evaluate("window.__naive.joined"), "naive join")
            await owner.send(
                "sync:source", {"sourceType": "external", "sourceId": self.static.video_url}
            )

            async def play() -> None:
                await owner.send("sync:play", {})

            async def seek() -> None:
                await owner.send("sync:seek", {"targetMediaTime": SEEK_TARGET_S * 1000})

            steady, seek_at, end = await self.timeline(viewers, selector, play, seek)
            result = analyse(
                "naive apply-on-receipt",
                viewers,
                owner.commands,
                steady,
                seek_at,
                end,
                self.args.fps,
            )
            self.dump("naive", viewers, owner.commands, steady, seek_at, end)
            for v in viewers:
                assert v.page is not None
                errors = await v.page.evaluate("window.__naive.errors")
                result.notes += [f"naive viewer {v.index}: {e}" for e in errors[:3]]
            return result
        finally:
            await owner.close()
            for v in viewers:
                await v.close()


async def _has_videos(viewers: Sequence[Viewer], selector: str) -> bool:
    for v in viewers:
        assert v.page is not None
        if await v.page.locator(selector).count() == 0:
            return False
    return True


async def click_join_playback(viewers: Sequence[Viewer]) -> None:
    """Autoplay is allowed by the launch flag; should a page still ask, answer it."""
    for v in viewers:
        assert v.page is not None
        overlay = v.page.get_by_test_id("join-playback")
        with contextlib.suppress(Exception):
            if await overlay.count() and await overlay.is_visible():
                await overlay.click(timeout=3000)


async def seek_with_bar(page: Page, target_s: float, selector: str) -> None:
    """Seek with the owner's seek bar: set an ``<input type=range>`` to the target in its own units,
    or click a custom slider at the target's fraction of the duration."""
    bar = page.get_by_test_id("seek-bar")
    duration = await page.evaluate(f"document.querySelector({json.dumps(selector)}).duration")
    info = await bar.evaluate(
        "(e) => ({tag: e.tagName, type: e.type || null, min: e.min || null, max: e.max || null})"
    )
    if info["tag"] == "INPUT" and info["type"] == "range":
        lo = float(info["min"] or 0)
        hi = float(info["max"] or 100)
        value = lo + (hi - lo) * target_s / duration
        await bar.fill(f"{value:g}")
        return
    box = await bar.bounding_box()
    assert box is not None
    await bar.click(position={"x": box["width"] * target_s / duration, "y": box["height"] / 2})


# ---------------------------------------------------------------------------------------------
# Output


def fmt_ms(x: float | None, width: int = 6) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—".rjust(width)
    return f"{x:{width}.1f}"


def fmt_reconverge(r: Reconvergence) -> str:
    def one(x: float | None) -> str:
        return "-" if x is None else f"{x / 1000:.2f}"

    return f"{one(r.reached)} / {one(r.held)} s"


def p95_abs(values: Sequence[float]) -> float | None:
    if not values:
        return None
    s = sorted(abs(v) for v in values)
    return s[round(0.95 * (len(s) - 1))]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def report(results: Sequence[Result], viewers: Sequence[Viewer]) -> None:
    print()
    print(
        "Inter-viewer drift: |position_i - position_j| over every pair, every 10 ms of the steady "
        "window.\nSeek: seconds from the seek command until every pair is within the band, "
        "first for 200 ms (reached) / for good (held), '-' = not within the window."
    )
    print(
        f"{'client':<24}{'positions from':<18}{'steady drift p50 / p95 / max':>30}{'known':>7}"
        f"{'seek ≤17 ms reached/held':>27}{'≤33 ms reached/held':>22}{'after seek p50 / p95':>23}"
    )
    for r in results:
        for label, m in (("presented frames", r.presented), ("media clock", r.clock)):
            known = m.steady.known / m.steady.samples if m.steady.samples else 0.0
            print(
                f"{r.name if label.startswith('presented') else '':<24}{label:<18}"
                f"{fmt_ms(m.steady.pct(0.5), 8)} / {fmt_ms(m.steady.pct(0.95))} / "
                f"{fmt_ms(m.steady.pct(1.0), 7)} ms{known:7.0%}"
                f"{fmt_reconverge(m.reconverge[17.0]):>27}{fmt_reconverge(m.reconverge[33.0]):>22}"
                f"{fmt_ms(m.settled.pct(0.5), 10)} / {fmt_ms(m.settled.pct(0.95))} ms"
            )
    print()
    print(
        "Per viewer, steady window: frames presented per second; position - the room's position "
        "(median, p95 of |.|), from presented frames and from the media clock; for the app, its "
        "clock-offset error (the last report's; median and max of |.| over every report from the "
        "steady window on) and the median |drift| it reported itself."
    )
    for k, v in enumerate(viewers):
        print(f"  viewer {k} (one-way {v.base_ms:.0f} ms, clock {v.offset_ms / 1000:+g} s)")
        for r in results:
            frames, clock = r.presented.room_error_ms[k], r.clock.room_error_ms[k]
            line = (
                f"    {r.name:<24}{r.presented_fps[k]:5.1f} fps   vs room: frames "
                f"{fmt_ms(median(frames), 1)} / {fmt_ms(p95_abs(frames), 1)} ms, clock "
                f"{fmt_ms(median(clock), 1)} / {fmt_ms(p95_abs(clock), 1)} ms"
            )
            if r.offset_error_ms[k] is not None:
                line += f"   clock-offset error {r.offset_error_ms[k]:+.1f} ms"
                spread = r.offset_error_spread_ms[k]
                if spread is not None:
                    line += f" (|.| median {spread[0]:.1f} / max {spread[1]:.1f})"
            if r.reported_drift_ms[k] is not None:
                line += f", reported |drift| {r.reported_drift_ms[k]:.1f} ms"
            print(line)
    for r in results:
        for n in r.notes[:8]:
            print(f"  note ({r.name}): {n}")


@contextlib.asynccontextmanager
async def environment(args: argparse.Namespace) -> AsyncIterator[Bench]:
    home = bench_home()  # a temporary directory, 755 (embedded PostgreSQL's user must read it)
    try:
        started = time.monotonic()
        video = await asyncio.to_thread(make_video, home, args.fps, args.size)
        print(
            f"  test video {video.name}: {video.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s"
        )
        static = StaticServer(video)
        edge_port = free_port()
        proxies = [
            DelayProxy(
                edge_port,
                BASE_LATENCY_MS[k],
                jitter=args.jitter,
                spike_p=args.spike_p,
                seed=args.seed + k,
            )
            for k in range(args.viewers)
        ]
        origins = (
            f"http://127.0.0.1:{edge_port}",
            f"http://localhost:{edge_port}",
            static.origin,
            *(p.origin for p in proxies),
        )
        # For this stack only: let source validation fetch the bench's loopback video.
        os.environ["TRANSCODER_SOURCE_FETCH_ALLOW_PRIVATE"] = "true"
        config = StackConfig(
            home=home,
            port=edge_port,
            allowed_origins=origins,
            web_dist=WEB_DIST,
            log_level="WARNING",
        )
        await static.start()
        for p in proxies:
            await p.start()
        try:
            async with DevStack(config) as stack, async_playwright() as pw:
                await wait_ready(stack, within_s=120)
                print(f"  stack ready in {time.monotonic() - started:.1f} s")
                browser = await pw.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                try:
                    yield Bench(
                        args, stack, static, proxies, browser, Signer(home / "auth" / "keys")
                    )
                finally:
                    await browser.close()
        finally:
            for p in proxies:
                await p.stop()
            await static.stop()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        sys.exit("Debian chromium is not installed: run `make install`")
    return path


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=4, help="browsers per run (2-5)")
    parser.add_argument("--fps", type=int, default=30, choices=(24, 25, 30, 50, 60))
    parser.add_argument("--size", default="640x360", help="video size, at most 1280x720")
    parser.add_argument(
        "--viewport",
        type=lambda s: tuple(int(x) for x in s.lower().split("x")),
        default=(960, 600),
        help="browser window (software rendering: smaller is cheaper)",
    )
    parser.add_argument(
        "--keep-blur", action="store_true", help="leave the app's backdrop blur on (slow to render)"
    )
    parser.add_argument("--steady", type=float, default=20.0, help="steady window (s)")
    parser.add_argument("--settle", type=float, default=4.0, help="from play to the window (s)")
    parser.add_argument("--after-seek", type=float, default=8.0, help="watched after the seek (s)")
    parser.add_argument("--jitter", type=float, default=0.2, help="one-way delay jitter (fraction)")
    parser.add_argument("--spike-p", type=float, default=0.02, help="chance of a 50-150 ms spike")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only", choices=("app", "naive"), help="run one client only (default: both)"
    )
    parser.add_argument("--dump", type=Path, help="write the raw measurements here (JSON)")
    parser.add_argument("--time-limit", type=float, default=420.0, help="abort after (s)")
    args = parser.parse_args()
    w, h = (int(x) for x in args.size.lower().split("x"))
    if not 2 <= args.viewers <= 5:
        parser.error("--viewers: 2 to 5 (2 CPU cores)")
    if w > 1280 or h > 720 or args.steady > 30 or args.after_seek > 20 or args.settle > 15:
        parser.error("bounded: at most 1280x720, --steady 30, --after-seek 20, --settle 15")
    if args.settle + args.steady + 2 > SEEK_TARGET_S:
        parser.error("the seek to 30 s must be a jump forward: keep --settle + --steady under 28")
    if not (WEB_DIST / "index.html").exists():
        sys.exit("the SPA is not built: run `make web`")
    lat = "/".join(str(b) for b in BASE_LATENCY_MS[: args.viewers])
    clocks = "/".join(f"{o / 1000:+g}" for o in CLOCK_OFFSET_MS[: args.viewers])
    print(
        f"bench-sync: {args.viewers} viewers, one-way latency {lat} ms ±{args.jitter:.0%} "
        f"(+50-150 ms spikes, p={args.spike_p}), clocks off by {clocks} s, {args.size} {args.fps} fps"
    )
    results: list[Result] = []
    async with asyncio.timeout(args.time_limit), environment(args) as bench:
        viewers = bench.viewers()
        if args.only in (None, "app"):
            try:
                results.append(await bench.run_app())
            except Exception as exc:  # noqa: BLE001 - the baseline still runs and is printed
                print(f"  app run failed: {type(exc).__name__}: {str(exc)[:400]}")
        if args.only in (None, "naive"):
            results.append(await bench.run_naive())
    report(results, viewers)


if __name__ == "__main__":
    asyncio.run(main())
