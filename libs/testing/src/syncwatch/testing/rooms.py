"""Rooms over the room service's REST API, for tests that need one before they start."""

from __future__ import annotations

from typing import Any

from syncwatch.testing.clients import client_from
from syncwatch.testing.tokens import TestUser, TokenSigner


async def create_room(base_url: str, signer: TokenSigner, owner: TestUser, **body: Any) -> str:
    """A room owned by ``owner`` (five seats, owner-only playback unless ``body`` says otherwise);
    its code."""
    async with client_from(base_url) as c:
        made = await c.post(
            "/api/rooms",
            json={"maxParticipants": 5, "playbackControl": "owner_only", **body},
            headers=signer.auth(owner),
        )
    assert made.status_code == 201, made.text
    code: str = made.json()["room"]["code"]
    return code


async def join_room(
    base_url: str,
    code: str,
    *,
    signer: TokenSigner | None = None,
    user: TestUser | None = None,
    guest_name: str | None = None,
) -> dict[str, Any]:
    """Join ``code`` as a signed-in ``user`` or as a guest named ``guest_name``; the answer (a
    guest's carries ``guestToken``)."""
    if (user is None) == (guest_name is None):
        raise ValueError("join as a user or as a guest")
    async with client_from(base_url) as c:
        if user is not None:
            assert signer is not None, "a signed-in join needs the signer"
            joined = await c.post(f"/api/rooms/{code}/join", json={}, headers=signer.auth(user))
        else:
            joined = await c.post(f"/api/rooms/{code}/join", json={"guestName": guest_name})
    assert joined.status_code in (200, 201), joined.text
    answer: dict[str, Any] = joined.json()
    return answer
