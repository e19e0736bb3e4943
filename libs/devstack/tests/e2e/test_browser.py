"""The SPA shell in a real browser (Debian Chromium via Playwright): screenshots, no console errors."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, ConsoleMessage

from syncwatch.devstack.stack import DevStack

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1440, 900)}


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
        # /r/ABCDEFGH is no room: the page shows "No room with this code" from the API's 404,
        # and Chromium logs that answer; anything else is a problem.
        expected = page_name == "room-link" and "status of 404" in msg.text
        if msg.type == "error" and not expected:
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
