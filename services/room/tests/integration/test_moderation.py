"""Owner actions over HTTP: kick, ban, unban, transfer, leave; members cannot do them."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


async def _join(
    room_service, c, code: str, *, user=None, guest: str | None = None
) -> dict[str, Any]:
    if user is not None:
        resp = await c.post(f"/api/rooms/{code}/join", headers=room_service.auth(user))
    else:
        resp = await c.post(f"/api/rooms/{code}/join", json={"guestName": guest})
    assert resp.status_code in {200, 201}, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def test_owner_only_actions_are_refused_to_members(room_service) -> None:
    owner, bob, carl = (room_service.new_user() for _ in range(3))
    room = await room_service.create_room(owner)
    code = room["code"]
    async with room_service.client() as c:
        await _join(room_service, c, code, user=bob)
        carl_member = (await _join(room_service, c, code, user=carl))["member"]["id"]
        as_bob = room_service.auth(bob)
        attempts = [
            await c.post(f"/api/rooms/{code}/members/{carl_member}/kick", headers=as_bob),
            await c.post(f"/api/rooms/{code}/bans", json={"memberId": carl_member}, headers=as_bob),
            await c.get(f"/api/rooms/{code}/bans", headers=as_bob),
            await c.post(
                f"/api/rooms/{code}/owner", json={"memberId": carl_member}, headers=as_bob
            ),
            await c.delete(f"/api/rooms/{code}", headers=as_bob),
        ]
    assert [(r.status_code, r.json()["code"]) for r in attempts] == [(403, "owner_only")] * 5


async def test_a_kicked_guest_loses_the_token_and_may_come_back(room_service) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    code = room["code"]
    async with room_service.client() as c:
        guest = await _join(room_service, c, code, guest="Kim")
        token = room_service.bearer(guest["guestToken"])
        kick = await c.post(
            f"/api/rooms/{code}/members/{guest['member']['id']}/kick",
            json={"reason": "spoilers"},
            headers=room_service.auth(owner),
        )
        assert kick.status_code == 204, kick.text
        members = await c.get(f"/api/rooms/{code}/members", headers=token)
        renew = await c.post(f"/api/rooms/{code}/guest-token", headers=token)
        # Told why, with the owner's reason, instead of a bare 401.
        for answer in (members, renew):
            body = answer.json()
            assert (answer.status_code, body["code"], body["reason"]) == (403, "kicked", "spoilers")
        again = await c.post(f"/api/rooms/{code}/join", json={"guestName": "Kim"})
        assert again.status_code == 201
        self_kick = await c.post(
            f"/api/rooms/{code}/members/{room['id']}/kick", headers=room_service.auth(owner)
        )
        assert (self_kick.status_code, self_kick.json()["code"]) == (404, "member_not_found")


async def test_a_guest_who_left_loses_the_token(room_service) -> None:
    room = await room_service.create_room(room_service.new_user())
    async with room_service.client() as c:
        guest = await _join(room_service, c, room["code"], guest="Kim")
        token = room_service.bearer(guest["guestToken"])
        assert (await c.post(f"/api/rooms/{room['code']}/leave", headers=token)).status_code == 204
        after = await c.post(f"/api/rooms/{room['code']}/guest-token", headers=token)
        assert after.status_code == 401


async def test_ban_and_unban(room_service) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner)
    code = room["code"]
    as_owner = room_service.auth(owner)
    async with room_service.client() as c:
        bob_member = (await _join(room_service, c, code, user=bob))["member"]["id"]
        guest = await _join(room_service, c, code, guest="Kim")
        for member_id in (bob_member, guest["member"]["id"]):
            resp = await c.post(
                f"/api/rooms/{code}/bans",
                json={"memberId": member_id, "reason": "rude"},
                headers=as_owner,
            )
            assert resp.status_code == 204, resp.text
        banned = await c.post(f"/api/rooms/{code}/join", headers=room_service.auth(bob))
        assert (banned.status_code, banned.json()["code"]) == (403, "banned")
        guest_again = await c.post(
            f"/api/rooms/{code}/join", headers=room_service.bearer(guest["guestToken"])
        )
        # The guest identity is banned too, old token or not.
        assert (guest_again.status_code, guest_again.json()["code"]) == (403, "banned")
        bans = (await c.get(f"/api/rooms/{code}/bans", headers=as_owner)).json()["bans"]
        assert {(b.get("user") or {}).get("id") for b in bans} == {bob.id, None}
        assert {b.get("guestName") for b in bans} == {"Kim", None}
        bob_ban = next(b["id"] for b in bans if b.get("user"))
        assert (
            await c.delete(f"/api/rooms/{code}/bans/{bob_ban}", headers=as_owner)
        ).status_code == 204
        missing = await c.delete(f"/api/rooms/{code}/bans/{bob_ban}", headers=as_owner)
        assert (missing.status_code, missing.json()["code"]) == (404, "ban_not_found")
        back = await c.post(f"/api/rooms/{code}/join", headers=room_service.auth(bob))
        assert back.status_code == 201


async def test_transfer_and_owner_leaving(room_service) -> None:
    ann, bob, carl = (room_service.new_user() for _ in range(3))
    room = await room_service.create_room(ann)
    code = room["code"]
    async with room_service.client() as c:
        guest = await _join(room_service, c, code, guest="Kim")
        bob_member = (await _join(room_service, c, code, user=bob))["member"]["id"]
        carl_member = (await _join(room_service, c, code, user=carl))["member"]["id"]
        to_guest = await c.post(
            f"/api/rooms/{code}/owner",
            json={"memberId": guest["member"]["id"]},
            headers=room_service.auth(ann),
        )
        assert (to_guest.status_code, to_guest.json()["code"]) == (400, "guest_cannot_own")
        moved = await c.post(
            f"/api/rooms/{code}/owner",
            json={"memberId": bob_member},
            headers=room_service.auth(ann),
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["room"]["owner"]["id"] == bob.id
        # Ann is a member now and may no longer moderate.
        denied = await c.post(
            f"/api/rooms/{code}/members/{carl_member}/kick", headers=room_service.auth(ann)
        )
        assert denied.status_code == 403
        # Bob leaves: the longest-present signed-in member (Ann) takes over; the guest never does.
        assert (
            await c.post(f"/api/rooms/{code}/leave", headers=room_service.auth(bob))
        ).status_code == 204
        summary = (await c.get(f"/api/rooms/{code}")).json()["room"]
        assert summary["owner"]["id"] == ann.id
        for user in (ann, carl):
            assert (
                await c.post(f"/api/rooms/{code}/leave", headers=room_service.auth(user))
            ).status_code == 204
        # Only a guest was left: nobody can own the room, so it ended.
        assert (await c.get(f"/api/rooms/{code}")).status_code == 404


async def test_removed_members_are_told_why(room_service) -> None:
    owner, bob, carl, dan = (room_service.new_user() for _ in range(4))
    room = await room_service.create_room(owner)
    code = room["code"]
    url = f"/api/rooms/{code}"
    as_owner = room_service.auth(owner)
    async with room_service.client() as c:
        bob_m = (await _join(room_service, c, code, user=bob))["member"]["id"]
        carl_m = (await _join(room_service, c, code, user=carl))["member"]["id"]
        guest = await _join(room_service, c, code, guest="Kim")
        await _join(room_service, c, code, user=dan)
        kicked = await c.post(
            f"{url}/members/{bob_m}/kick", json={"reason": "spoilers"}, headers=as_owner
        )
        banned = await c.post(f"{url}/bans", json={"memberId": carl_m}, headers=as_owner)
        guest_banned = await c.post(
            f"{url}/bans",
            json={"memberId": guest["member"]["id"], "reason": "rude"},
            headers=as_owner,
        )
        assert [kicked.status_code, banned.status_code, guest_banned.status_code] == [204] * 3
        assert (await c.post(f"{url}/leave", headers=room_service.auth(dan))).status_code == 204

        async def answer(method: str, path: str, headers: dict[str, str]) -> tuple:
            resp = await c.request(method, f"{url}{path}", headers=headers)
            body = resp.json()
            return resp.status_code, body["code"], body.get("reason")

        guest_token = room_service.bearer(guest["guestToken"])
        assert await answer("GET", "/members", room_service.auth(bob)) == (
            403,
            "kicked",
            "spoilers",
        )
        assert await answer("POST", "/leave", room_service.auth(bob)) == (403, "kicked", "spoilers")
        # No reason given: an empty one, so the page can still say what happened.
        assert await answer("GET", "/members", room_service.auth(carl)) == (403, "banned", "")
        assert await answer("GET", "/members", guest_token) == (403, "banned", "rude")
        assert await answer("POST", "/guest-token", guest_token) == (403, "banned", "rude")
        # Joining while banned says why too, for accounts and guest identities alike.
        assert await answer("POST", "/join", room_service.auth(carl)) == (403, "banned", "")
        assert await answer("POST", "/join", guest_token) == (403, "banned", "rude")
        # Leaving by oneself is not a removal.
        assert await answer("GET", "/members", room_service.auth(dan)) == (
            403,
            "not_member",
            None,
        )

        # A kicked member may come back, and then is a member like any other.
        assert (await c.post(f"{url}/join", headers=room_service.auth(bob))).status_code == 201
        assert (await c.get(f"{url}/members", headers=room_service.auth(bob))).status_code == 200
