"""The stack of `make dev`, started once for the e2e tests, on free ports and a temporary home."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig, wait_ready

REPO = Path(__file__).resolve().parents[4]
WEB_DIST = REPO / "services" / "web" / "dist"
ARTIFACTS = REPO / "test-artifacts"


@pytest_asyncio.fixture(scope="session")
async def stack() -> AsyncIterator[DevStack]:
    """The whole product with embedded PostgreSQL, Redis and NATS, ready."""
    if not (WEB_DIST / "index.html").exists():
        pytest.fail("the SPA is not built: run `make web` (make test does)")
    home = Path(tempfile.mkdtemp(prefix="syncwatch-e2e-"))
    home.chmod(0o755)
    config = StackConfig(home=home, port=free_port(), web_dist=WEB_DIST)
    # The playback tests serve their test video from loopback; the source check refuses private
    # addresses unless told (development and tests only).
    os.environ["TRANSCODER_SOURCE_FETCH_ALLOW_PRIVATE"] = "true"
    dev = DevStack(config)
    await dev.start()
    try:
        await wait_ready(dev, within_s=180)
        yield dev
    finally:
        await dev.stop()
        shutil.rmtree(home, ignore_errors=True)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian chromium is not installed: run `make install`")
    return path


@pytest_asyncio.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        await b.close()
