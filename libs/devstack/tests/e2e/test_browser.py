"""The SPA shell in a real browser (Debian Chromium via Playwright): screenshots, no console errors."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, ConsoleMessage, async_playwright

from syncwatch.devstack.stack import DevStack

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

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
VIEWPORTS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1440, 900)}


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


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    ("page_name", "path"), [("home", "/"), ("room-link", "/r/ABCDEFGH"), ("login", "/login")]
)
async def test_shell_renders_without_console_errors(
    stack: DevStack, browser: Browser, viewport: str, page_name: str, path: str
) -> None:
    width, height = VIEWPORTS[viewport]
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            problems.append(f"console error: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    try:
        resp = await page.goto(stack.config.origin + path, wait_until="networkidle")
        assert resp is not None
        assert resp.status == 200
        await page.wait_for_selector("h1")
        assert await page.title() != ""
        # Works from a phone up: nothing wider than the viewport.
        scroll_width = await page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"horizontal overflow at {width}px: {scroll_width}px"
        ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        await page.screenshot(
            path=str(ARTIFACTS / "screenshots" / f"{page_name}-{viewport}.png"), full_page=True
        )
    finally:
        await context.close()
    assert problems == []
