"""Accounts, sessions and friends in a real browser (Debian Chromium via Playwright).

Two people register in two browser contexts, Ann finds Bob and sends a friend request, Bob accepts
it, and both see each other in their friends lists. Screenshots (test-artifacts/screenshots/):
friends-desktop and friends-phone (Ann's list with Bob in it), friends-request-sent-desktop (Ann's
search after asking) and friends-incoming-phone (Bob's request to answer). Ann then signs out, is
sent to log in by the protected /friends page, signs back in with her username and lands where she
was going, and a reload keeps her signed in (the silent refresh with the HttpOnly cookie). Any
console error fails the test.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    ViewportSize,
    expect,
)

from syncwatch.devstack.stack import DevStack

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1440, "height": 900}
TIMEOUT_MS = 15_000


@dataclass
class Person:
    username: str
    email: str
    password: str
    page: Page
    problems: list[str] = field(default_factory=list)


async def _person(browser: Browser, name: str, run_id: str) -> Person:
    """A fresh browser context (own cookies and storage) that records console errors."""
    context = await browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    username = f"{name}_{run_id}"
    person = Person(
        username=username,
        email=f"{username}@example.com",
        password=f"{name} watches films {run_id}",
        page=page,
    )

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            person.problems.append(
                f"{name}: console error: {msg.text} ({msg.location.get('url', '')})"
            )

    page.on("console", on_console)
    page.on("pageerror", lambda exc: person.problems.append(f"{name}: page error: {exc}"))
    return person


async def _register(stack: DevStack, person: Person) -> None:
    page = person.page
    await page.goto(stack.config.origin + "/register")
    await page.get_by_test_id("register-email").fill(person.email)
    await page.get_by_test_id("register-username").fill(person.username)
    await page.get_by_test_id("register-password").fill(person.password)
    await page.get_by_test_id("register-submit").click()
    # Signed in straight away, on the home page, with the account menu in the header.
    await page.wait_for_url(stack.config.origin + "/")
    await expect(page.get_by_test_id("user-menu")).to_contain_text(person.username)


async def _open_friends(person: Person) -> None:
    page = person.page
    await page.get_by_test_id("user-menu").click()
    await page.get_by_test_id("menu-friends").click()
    await expect(page.get_by_role("heading", level=1, name="Friends")).to_be_visible()


def _row(page: Page, test_id: str, username: str) -> Locator:
    return page.locator(f'[data-testid="{test_id}"][data-username="{username}"]')


async def _screenshot(page: Page, name: str, viewport: ViewportSize) -> None:
    await page.set_viewport_size(viewport)
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], f"horizontal overflow at {viewport['width']}px"
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    # Transitions finished and animations stopped, so a button that just changed is shown as it ends.
    await page.screenshot(
        path=str(ARTIFACTS / "screenshots" / f"{name}.png"), full_page=True, animations="disabled"
    )


async def test_two_people_become_friends_and_sign_out_and_in(
    stack: DevStack, browser: Browser
) -> None:
    run_id = uuid.uuid4().hex[:8]
    ann = await _person(browser, "ann", run_id)
    bob = await _person(browser, "bob", run_id)
    origin = stack.config.origin
    try:
        await _register(stack, ann)
        await _register(stack, bob)

        # Ann finds Bob by username and asks.
        await _open_friends(ann)
        await ann.page.get_by_test_id("friend-search").fill(bob.username)
        result = _row(ann.page, "friend-search-result", bob.username)
        await expect(result).to_be_visible()
        await result.get_by_test_id("add-friend").click()
        await expect(_row(ann.page, "outgoing-request", bob.username)).to_be_visible()
        await expect(result.get_by_test_id("add-friend")).to_have_attribute(
            "data-relation", "outgoing"
        )
        await _screenshot(ann.page, "friends-request-sent-desktop", DESKTOP)

        # Bob sees the request under incoming and accepts it.
        await _open_friends(bob)
        incoming = _row(bob.page, "incoming-request", ann.username)
        await expect(incoming).to_be_visible()
        await _screenshot(bob.page, "friends-incoming-phone", PHONE)
        await bob.page.set_viewport_size(DESKTOP)
        await incoming.get_by_test_id("accept-request").click()
        await expect(_row(bob.page, "friend-row", ann.username)).to_be_visible()
        await expect(incoming).to_have_count(0)

        # Ann sees Bob as a friend (online: he just used the API), no longer as a pending request.
        await ann.page.reload()
        bob_row = _row(ann.page, "friend-row", bob.username)
        await expect(bob_row).to_be_visible()
        await expect(bob_row).to_contain_text("Online")
        await expect(_row(ann.page, "outgoing-request", bob.username)).to_have_count(0)

        await _screenshot(ann.page, "friends-desktop", DESKTOP)
        await _screenshot(ann.page, "friends-phone", PHONE)
        await ann.page.set_viewport_size(DESKTOP)

        # Sign out from the header menu: back home, signed out, the session hint gone.
        await ann.page.get_by_test_id("user-menu").click()
        await ann.page.get_by_test_id("sign-out").click()
        await ann.page.wait_for_url(origin + "/")
        await expect(ann.page.get_by_role("link", name="Log in")).to_be_visible()
        assert await ann.page.evaluate("localStorage.getItem('sw_session')") is None

        # The protected page sends her to log in, and back once she has (with her username).
        await ann.page.goto(origin + "/friends")
        await ann.page.wait_for_url(origin + "/login?next=/friends")
        await ann.page.get_by_test_id("login-identifier").fill(ann.username)
        await ann.page.get_by_test_id("login-password").fill(ann.password)
        await ann.page.get_by_test_id("login-submit").click()
        await ann.page.wait_for_url(origin + "/friends")
        await expect(_row(ann.page, "friend-row", bob.username)).to_be_visible()

        # A reload keeps her signed in: the silent refresh with the HttpOnly cookie.
        await ann.page.reload()
        await expect(ann.page.get_by_test_id("user-menu")).to_contain_text(ann.username)
        await expect(_row(ann.page, "friend-row", bob.username)).to_be_visible()
        assert "sw_refresh" not in await ann.page.evaluate("document.cookie")
    finally:
        await ann.page.context.close()
        await bob.page.context.close()
    assert ann.problems + bob.problems == []
