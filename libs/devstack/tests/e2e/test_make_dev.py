"""`make dev`'s command as a person runs it: table, readiness, Ctrl-C, two stacks side by side, restart."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

from syncwatch.devstack.ports import free_port

from .conftest import REPO, WEB_DIST

pytestmark = pytest.mark.e2e


class Launched:
    def __init__(self, home: Path, port: int) -> None:
        self.home = home
        self.port = port
        self.proc: asyncio.subprocess.Process | None = None
        self.output = ""

    async def start(self) -> None:
        env = {**os.environ, "SYNCWATCH_PORT": str(self.port), "SYNCWATCH_HOME": str(self.home)}
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "syncwatch.devstack",
            "--web-dist",
            str(WEB_DIST),
            cwd=REPO,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc
        assert self.proc.stdout
        async for line in self.proc.stdout:
            self.output += line.decode(errors="replace")

    async def ready(self, within_s: float = 180) -> dict:
        last: object = None
        async with httpx.AsyncClient(timeout=5) as client:
            deadline = asyncio.get_running_loop().time() + within_s
            while asyncio.get_running_loop().time() < deadline:
                try:
                    resp = await client.get(f"http://127.0.0.1:{self.port}/health/ready")
                    if resp.status_code == 200:
                        return resp.json()
                    last = resp.json()
                except httpx.HTTPError as exc:
                    last = exc
                await asyncio.sleep(0.5)
        pytest.fail(f"not ready after {within_s}s: {last}\n--- launcher output ---\n{self.output}")

    def descendants(self) -> list[psutil.Process]:
        assert self.proc
        return psutil.Process(self.proc.pid).children(recursive=True)

    async def interrupt(self) -> float:
        """Ctrl-C; returns how long the launcher took to exit."""
        assert self.proc
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(self.proc.wait(), 45)
        await self._reader
        return time.monotonic() - t0


def _home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="syncwatch-dev-"))
    home.chmod(0o755)
    return home


async def test_two_stacks_side_by_side_then_ctrl_c_leaves_nothing() -> None:
    a, b = Launched(_home(), free_port()), Launched(_home(), free_port())
    try:
        await asyncio.gather(a.start(), b.start())
        await asyncio.gather(a.ready(), b.ready())
        children = a.descendants() + b.descendants()
        assert len(children) >= 2 * (7 + 3)
        for launched in (a, b):
            assert f"http://127.0.0.1:{launched.port}" in launched.output
            for name in (
                "postgres",
                "redis",
                "nats",
                "auth",
                "room",
                "sync-gateway",
                "chat",
                "signaling",
                "transcoder",
                "media-janitor",
            ):
                assert re.search(rf"^{re.escape(name)}\s", launched.output, re.M), name
        took = await asyncio.gather(a.interrupt(), b.interrupt())
        assert max(took) < 30, took
        assert a.proc.returncode == 0
        assert b.proc.returncode == 0
        await asyncio.sleep(0.5)
        alive = [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert alive == []
    finally:
        for launched in (a, b):
            if launched.proc and launched.proc.returncode is None:
                launched.proc.kill()
            shutil.rmtree(launched.home, ignore_errors=True)


async def test_restart_keeps_state_in_home() -> None:
    home = _home()
    try:
        first = Launched(home, free_port())
        await first.start()
        await first.ready()
        pg_url = re.search(r"postgresql://\S+", first.output)
        assert pg_url, first.output
        conn = await asyncpg.connect(pg_url.group(0))
        await conn.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
        await conn.close()
        await first.interrupt()

        second = Launched(home, free_port())
        await second.start()
        await second.ready()
        pg_url = re.search(r"postgresql://\S+", second.output)
        assert pg_url
        conn = await asyncpg.connect(pg_url.group(0))
        assert await conn.fetchval("SELECT note FROM kept") == "still here"
        await conn.close()
        await second.interrupt()
    finally:
        shutil.rmtree(home, ignore_errors=True)
