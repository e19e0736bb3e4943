"""Chat in real browsers: two signed-in members and a guest in three browser contexts. The members
talk, a message with markup arrives as text, the guest reads along but cannot send. Screenshots
(test-artifacts/screenshots/): chat-desktop (beside the player), chat-guest-phone (the sheet).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Browser, expect

from syncwatch.devstack.stack import DevStack

from .test_auth_browser import DESKTOP, PHONE, TIMEOUT_MS, _person, _register, _screenshot

pytestmark = pytest.mark.e2e

XSS = '<img src=x onerror="window.__pwned=1">'


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
    finally:
        await ann.page.context.close()
        await bob.page.context.close()
        await guest_context.close()
    assert ann.problems + bob.problems + guest_problems == []
