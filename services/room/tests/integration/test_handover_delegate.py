"""The handover delegate: set over PATCH, checked, shown, cleared, and taking over end to end."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


async def _member_id(room_service, c, code: str, *, user=None, guest: str | None = None) -> str:
    if user is not None:
        resp = await c.post(f"/api/rooms/{code}/join", headers=room_service.auth(user))
    else:
        resp = await c.post(f"/api/rooms/{code}/join", json={"guestName": guest})
    assert resp.status_code == 201, resp.text
    member_id: str = resp.json()["member"]["id"]
    return member_id


async def _room(room_service, c, code: str, user) -> dict[str, Any]:
    resp = await c.get(f"/api/rooms/{code}/members", headers=room_service.auth(user))
    assert resp.status_code == 200, resp.text
    room: dict[str, Any] = resp.json()["room"]
    return room


async def test_the_delegate_takes_over_when_the_owner_leaves(room_service) -> None:
    ann, bob, carl = (room_service.new_user() for _ in range(3))
    room = await room_service.create_room(ann, handover={"order": "explicit_delegate"})
    code = room["code"]
    url = f"/api/rooms/{code}"
    async with room_service.client() as c:
        await _member_id(room_service, c, code, user=bob)  # longest present after Ann
        carl_m = await _member_id(room_service, c, code, user=carl)
        set_it = await c.patch(url, json={"delegateId": carl_m}, headers=room_service.auth(ann))
        assert set_it.status_code == 200, set_it.text
        assert set_it.json()["room"]["delegateId"] == carl_m
        assert set_it.json()["room"]["handover"] == {"enabled": True, "order": "explicit_delegate"}
        assert (await _room(room_service, c, code, bob))["delegateId"] == carl_m

        assert (await c.post(f"{url}/leave", headers=room_service.auth(ann))).status_code == 204
        after = await _room(room_service, c, code, carl)
        assert after["owner"]["id"] == carl.id
        # Now the owner, Carl is no longer the delegate.
        assert after["delegateId"] is None
        members = (await c.get(f"{url}/members", headers=room_service.auth(carl))).json()["members"]
        assert {m["user"]["id"]: m["role"] for m in members} == {bob.id: "member", carl.id: "owner"}


async def test_in_join_order_the_delegate_waits(room_service) -> None:
    ann, bob, carl = (room_service.new_user() for _ in range(3))
    room = await room_service.create_room(ann)  # handover order: join_order
    code = room["code"]
    async with room_service.client() as c:
        await _member_id(room_service, c, code, user=bob)
        carl_m = await _member_id(room_service, c, code, user=carl)
        stored = await c.patch(
            f"/api/rooms/{code}", json={"delegateId": carl_m}, headers=room_service.auth(ann)
        )
        assert stored.json()["room"]["delegateId"] == carl_m
        await c.post(f"/api/rooms/{code}/leave", headers=room_service.auth(ann))
        assert (await c.get(f"/api/rooms/{code}")).json()["room"]["owner"]["id"] == bob.id


async def test_only_a_signed_in_member_other_than_the_owner_may_be_delegate(room_service) -> None:
    ann, bob, dan = (room_service.new_user() for _ in range(3))
    room = await room_service.create_room(ann, handover={"order": "explicit_delegate"})
    other = await room_service.create_room(room_service.new_user())
    code = room["code"]
    url = f"/api/rooms/{code}"
    as_ann = room_service.auth(ann)
    async with room_service.client() as c:
        ann_m = (await c.get(f"{url}/members", headers=as_ann)).json()["member"]["id"]
        bob_m = await _member_id(room_service, c, code, user=bob)
        guest_m = await _member_id(room_service, c, code, guest="Kim")
        dan_m = await _member_id(room_service, c, code, user=dan)
        elsewhere = await _member_id(room_service, c, other["code"], user=dan)
        await c.post(f"{url}/leave", headers=room_service.auth(dan))

        async def patch(delegate: object, headers: dict[str, str] = as_ann) -> tuple[int, str]:
            resp = await c.patch(url, json={"delegateId": delegate}, headers=headers)
            return resp.status_code, resp.json().get("code", "")

        assert await patch(guest_m) == (400, "guest_cannot_own")
        assert await patch(ann_m) == (400, "cannot_target_self")
        assert await patch("m_nobody") == (404, "member_not_found")
        assert await patch(dan_m) == (404, "member_not_found")  # left
        assert await patch(elsewhere) == (404, "member_not_found")  # another room's member
        assert await patch(bob_m, room_service.auth(bob)) == (403, "owner_only")
        assert (await _room(room_service, c, code, ann))["delegateId"] is None  # nothing stuck

        assert await patch(bob_m) == (200, "")
        assert await patch(None) == (200, "")
        assert (await _room(room_service, c, code, ann))["delegateId"] is None


@pytest.mark.parametrize("how", ["leave", "kick", "ban", "transfer"])
async def test_the_delegate_is_cleared_when_they_go_or_take_the_room(room_service, how) -> None:
    ann, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(ann, handover={"order": "explicit_delegate"})
    code = room["code"]
    url = f"/api/rooms/{code}"
    as_ann = room_service.auth(ann)
    async with room_service.client() as c:
        bob_m = await _member_id(room_service, c, code, user=bob)
        set_it = await c.patch(url, json={"delegateId": bob_m}, headers=as_ann)
        assert set_it.json()["room"]["delegateId"] == bob_m
        resp = {
            "leave": lambda: c.post(f"{url}/leave", headers=room_service.auth(bob)),
            "kick": lambda: c.post(f"{url}/members/{bob_m}/kick", headers=as_ann),
            "ban": lambda: c.post(f"{url}/bans", json={"memberId": bob_m}, headers=as_ann),
            "transfer": lambda: c.post(f"{url}/owner", json={"memberId": bob_m}, headers=as_ann),
        }[how]
        assert (await resp()).status_code in {200, 204}
        assert (await _room(room_service, c, code, ann))["delegateId"] is None
