"""Rooms in a real browser: an owner creates a password room from the home page, copies its invite
link, a guest opens it in another browser context, gives the password and a name, both see each
other in the participant list, the owner kicks the guest and the guest is told why.

Screenshots (test-artifacts/screenshots/): room-owner-desktop / -phone (the room with both people),
room-lobby-guest-phone (the lobby asking for name and password), room-kicked-guest-desktop / -phone.
Console errors fail the test, except the browser's own log line for the one answer the guest's page
is meant to get after the kick (403 `kicked`), which Chromium prints for every failed request.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Browser, expect

from syncwatch.devstack.stack import DevStack

from .test_auth_browser import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    _person,
    _register,
    _screenshot,
)

pytestmark = pytest.mark.e2e

EXPECTED_403 = re.compile(r"Failed to load resource: the server responded with a status of 403")


async def test_owner_creates_a_password_room_a_guest_joins_and_is_kicked(
    stack: DevStack, browser: Browser
) -> None:
    run_id = uuid.uuid4().hex[:8]
    ann = await _person(browser, "ann", run_id)
    await ann.page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=stack.config.origin
    )
    guest_context = await browser.new_context(viewport=PHONE)
    guest_context.set_default_timeout(TIMEOUT_MS)
    guest = await guest_context.new_page()
    guest_problems: list[str] = []
    guest.on(
        "console",
        lambda m: (
            guest_problems.append(f"guest: {m.text}")
            if m.type == "error" and not EXPECTED_403.search(m.text)
            else None
        ),
    )
    guest.on("pageerror", lambda exc: guest_problems.append(f"guest: page error: {exc}"))
    try:
        await _register(stack, ann)
        page = ann.page

        # Create a room with a password from the home page.
        await page.get_by_test_id("create-room").click()
        form = page.get_by_test_id("create-room-form")
        await expect(form).to_be_visible()
        await page.get_by_test_id("room-name").fill("Friday film")
        await page.get_by_test_id("room-password").fill("popcorn42")
        await page.get_by_test_id("create-room-submit").click()
        await page.wait_for_url(re.compile(r"/r/[A-HJ-NP-Z2-9]{8}$"))
        code = page.url.rsplit("/", 1)[1]
        await expect(page.get_by_test_id("room-name")).to_contain_text("Friday film")
        participants = page.get_by_test_id("participant-list")
        await expect(participants).to_contain_text(ann.username)

        # Copy the invite link, as a person would, and hand it to the guest.
        await page.get_by_test_id("copy-invite-link").first.click()
        link = await page.evaluate("navigator.clipboard.readText()")
        assert link == f"{stack.config.origin}/r/{code}"

        # The guest opens it: the lobby asks for a name and the password.
        await guest.goto(link)
        await expect(guest.get_by_test_id("room-lobby")).to_be_visible()
        await expect(guest.get_by_test_id("room-owner")).to_contain_text(ann.username)
        await expect(guest.get_by_test_id("room-password")).to_be_visible()
        await guest.get_by_test_id("guest-name").fill("Kim")
        await guest.get_by_test_id("room-password").fill("popcorn42")
        await _screenshot(guest, "room-lobby-guest-phone", PHONE)
        await guest.get_by_test_id("join-room").click()

        # Both see each other.
        guest_list = guest.get_by_test_id("participant-list")
        await expect(guest_list).to_contain_text("Kim")
        await expect(guest_list).to_contain_text(ann.username)
        await expect(participants).to_contain_text("Kim")
        await _screenshot(page, "room-owner-desktop", DESKTOP)
        await _screenshot(page, "room-owner-phone", PHONE)
        await page.set_viewport_size(DESKTOP)

        # The owner kicks the guest with a reason.
        kim = participants.get_by_test_id("participant").filter(has_text="Kim")
        await kim.get_by_test_id("member-actions").click()
        await page.get_by_test_id("member-action-kick").click()
        await page.get_by_test_id("moderation-reason").fill("Spoilers in the chat")
        await page.get_by_role("dialog").get_by_role("button", name="Kick").click()
        await expect(kim).to_have_count(0)

        # The guest is told why.
        state = guest.get_by_test_id("room-state")
        await expect(state).to_have_attribute("data-state", "kicked")
        await expect(guest.get_by_test_id("removal-reason")).to_contain_text("Spoilers in the chat")
        await _screenshot(guest, "room-kicked-guest-phone", PHONE)
        await _screenshot(guest, "room-kicked-guest-desktop", DESKTOP)
    finally:
        await ann.page.context.close()
        await guest_context.close()
    assert ann.problems + guest_problems == []
