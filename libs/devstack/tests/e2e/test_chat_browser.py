"""Chat in real browsers: two signed-in members and a guest in three browser contexts. The members
talk, a message with markup arrives as text, the guest reads along but cannot send; in full screen
(the player's stage, through the Fullscreen API) the chat overlay shows what arrives, with its
unread count. Then a member's socket is cut (Playwright routes their /ws): one message reaches the
server but its ack is lost, another is written while cut; the page is reloaded while both are
pending, shows them again from this browser's outbox, and once the socket is back everyone has each
message exactly once. Screenshots (test-artifacts/screenshots/): chat-desktop (beside the player),
chat-guest-phone (the sheet), chat-fullscreen-desktop and chat-fullscreen-phone (the overlay),
chat-pending-after-reload-desktop (the two messages shown again, waiting for the socket).
"""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from playwright.async_api import Browser, Locator, Page, WebSocketRoute, expect

from syncwatch.devstack.stack import DevStack

from .test_auth_browser import DESKTOP, PHONE, TIMEOUT_MS, _person, _register, _screenshot

pytestmark = pytest.mark.e2e

XSS = '<img src=x onerror="window.__pwned=1">'


async def _enter_fullscreen(page: Page) -> None:
    """Put the player's stage in full screen: the Fullscreen API, from a real click (a gesture)."""
    surface = page.get_by_test_id("player-surface")
    await surface.evaluate(
        "el => el.addEventListener('click', () => el.requestFullscreen(), {once: true})"
    )
    await surface.click(position={"x": 6, "y": 6})
    await page.wait_for_function(
        "document.fullscreenElement?.getAttribute('data-testid') === 'player-surface'"
    )


def _rows_with(page: Page, text: str) -> Locator:
    return page.locator('[data-testid="chat-message"][data-kind="user"]', has_text=text)


class _SocketGate:
    """A page's /ws through Playwright: passed through to the server until cut. Cut, every new
    socket is closed as it opens (the client backs off and tries again)."""

    def __init__(self) -> None:
        self.cut = False
        self.cut_after_chat = False
        self._open: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self._closing: set[asyncio.Task[None]] = set()

    async def route(self, ws: WebSocketRoute) -> None:
        if self.cut:
            await ws.close(code=1001, reason="cut by the test")
            return
        server = ws.connect_to_server()
        self._open.append((ws, server))

        def to_server(message: str | bytes) -> None:
            server.send(message)
            if self.cut_after_chat and '"chat:message"' in str(message):
                # On the server's side, but the answer never comes back.
                self.cut_after_chat = False
                self.cut = True
                task = asyncio.get_running_loop().create_task(self._close_all())
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)

        def to_page(message: str | bytes) -> None:
            if not self.cut:
                ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)

    async def _close_all(self) -> None:
        routes, self._open = self._open, []
        for page_side, server_side in routes:
            await page_side.close(code=1001, reason="cut by the test")
            await server_side.close()


async def test_two_members_chat_and_a_guest_reads_along(stack: DevStack, browser: Browser) -> None:
    run_id = uuid.uuid4().hex[:8]
    ann = await _person(browser, "ann", run_id)
    bob = await _person(browser, "bob", run_id)
    guest_context = await browser.new_context(viewport=PHONE)
    guest_context.set_default_timeout(TIMEOUT_MS)
    guest = await guest_context.new_page()
    guest_problems: list[str] = []
    guest.on("console", lambda m: guest_problems.append(m.text) if m.type == "error" else None)
    guest.on("pageerror", lambda exc: guest_problems.append(str(exc)))
    try:
        await _register(stack, ann)
        await _register(stack, bob)
        await ann.page.get_by_test_id("create-room").click()
        await ann.page.get_by_test_id("room-name").fill("Chat night")
        await ann.page.get_by_test_id("create-room-submit").click()
        await ann.page.wait_for_url(re.compile(r"/r/[A-HJ-NP-Z2-9]{8}$"))
        link = ann.page.url

        await bob.page.goto(link)
        await bob.page.get_by_test_id("join-room").click()
        await guest.goto(link)
        await guest.get_by_test_id("guest-name").fill("Kim")
        await guest.get_by_test_id("join-room").click()
        await expect(guest.get_by_test_id("participant-list")).to_contain_text("Kim")

        ann_input = ann.page.get_by_test_id("chat-input")
        await ann_input.fill("Popcorn ready?")
        await ann_input.press("Enter")
        bob_messages = bob.page.get_by_test_id("chat-messages")
        await expect(bob_messages).to_contain_text("Popcorn ready?")

        bob_input = bob.page.get_by_test_id("chat-input")
        await bob_input.fill(XSS)
        await bob.page.get_by_test_id("chat-send").click()
        user_rows = ann.page.locator('[data-testid="chat-message"][data-kind="user"]')
        await expect(user_rows.last).to_contain_text(XSS)  # shown as text
        assert await ann.page.evaluate("window.__pwned === undefined")

        # The guest reads along (the sheet on a phone) and cannot send.
        await guest.get_by_test_id("chat-open").click()
        await expect(guest.get_by_test_id("chat-messages")).to_contain_text("Popcorn ready?")
        await expect(guest.get_by_test_id("chat-guest-notice")).to_be_visible()
        await expect(guest.get_by_test_id("chat-input")).to_have_count(0)

        await ann.page.evaluate("window.scrollTo(0, 0)")  # the header is sticky
        await _screenshot(ann.page, "chat-desktop", DESKTOP)
        await _screenshot(guest, "chat-guest-phone", PHONE)

        # Full screen: the stage alone shows, and the chat comes along as an overlay.
        await guest.get_by_test_id("chat-close").click()
        for page in (bob.page, guest):
            await _enter_fullscreen(page)
            await expect(page.get_by_test_id("chat-overlay-toggle")).to_be_visible()
        await ann_input.fill("Lights off, full screen on")
        await ann_input.press("Enter")
        for page in (bob.page, guest):
            toggle = page.get_by_test_id("chat-overlay-toggle")
            await expect(toggle).to_have_attribute("aria-label", "Show chat, 1 unread")
            await toggle.click()
            overlay = page.get_by_test_id("chat-overlay")
            await expect(overlay).to_contain_text("Lights off, full screen on")
            await expect(overlay).to_contain_text("Popcorn ready?")
        await expect(
            guest.get_by_test_id("chat-overlay").get_by_test_id("chat-guest-notice")
        ).to_be_visible()
        await _screenshot(bob.page, "chat-fullscreen-desktop", DESKTOP)
        await _screenshot(guest, "chat-fullscreen-phone", PHONE)
    finally:
        await ann.page.context.close()
        await bob.page.context.close()
        await guest_context.close()
    assert ann.problems + bob.problems + guest_problems == []


async def test_pending_messages_survive_a_reload_and_arrive_once(
    stack: DevStack, browser: Browser
) -> None:
    run_id = uuid.uuid4().hex[:8]
    ann = await _person(browser, "ann", run_id)
    bob = await _person(browser, "bob", run_id)
    gate = _SocketGate()
    await bob.page.route_web_socket(re.compile(r"/ws$"), gate.route)
    lost_ack = f"Did this arrive? {run_id}"
    offline = f"Written offline {run_id}"
    try:
        await _register(stack, ann)
        await _register(stack, bob)
        await ann.page.get_by_test_id("create-room").click()
        await ann.page.get_by_test_id("room-name").fill("Patchy wifi")
        await ann.page.get_by_test_id("create-room-submit").click()
        await ann.page.wait_for_url(re.compile(r"/r/[A-HJ-NP-Z2-9]{8}$"))
        await bob.page.goto(ann.page.url)
        await bob.page.get_by_test_id("join-room").click()
        bob_state = bob.page.get_by_test_id("connection-state")
        await expect(bob_state).to_have_attribute("data-state", "open")
        await expect(bob.page.get_by_test_id("chat-messages")).to_be_visible()

        # The first message reaches the server, and the socket drops before its ack comes back.
        gate.cut_after_chat = True
        bob_input = bob.page.get_by_test_id("chat-input")
        await bob_input.fill(lost_ack)
        await bob_input.press("Enter")
        await expect(bob_state).to_have_attribute("data-state", "reconnecting")
        await expect(_rows_with(ann.page, lost_ack)).to_have_count(1)
        # The second is written while the socket is down.
        await bob_input.fill(offline)
        await bob_input.press("Enter")
        pending = bob.page.locator('[data-testid="chat-message"][data-pending="queued"]')
        await expect(pending).to_have_count(2)
        ids = [await row.get_attribute("data-client-message-id") for row in await pending.all()]
        assert None not in ids
        assert len(set(ids)) == 2

        # A reload while both wait: they are shown again, the same ids, before the socket is back.
        await bob.page.reload()
        await expect(pending).to_have_count(2)
        assert [
            await row.get_attribute("data-client-message-id") for row in await pending.all()
        ] == ids
        await expect(pending.first).to_contain_text(lost_ack)
        await expect(pending.last).to_contain_text(offline)
        await expect(bob_state).not_to_have_attribute("data-state", "open")
        await _screenshot(bob.page, "chat-pending-after-reload-desktop", DESKTOP)

        gate.cut = False
        await expect(bob_state).to_have_attribute("data-state", "open")
        await expect(pending).to_have_count(0)
        for page in (ann.page, bob.page):
            for text in (lost_ack, offline):
                await expect(_rows_with(page, text)).to_have_count(1)
        # And the server holds each once: a fresh page load reads them from the history.
        await ann.page.reload()
        await expect(_rows_with(ann.page, offline)).to_have_count(1)
        await expect(_rows_with(ann.page, lost_ack)).to_have_count(1)
        outbox = await bob.page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('syncwatch.chat.outbox:'))"
        )
        assert outbox == []
    finally:
        await ann.page.context.close()
        await bob.page.context.close()
    assert ann.problems + bob.problems == []
