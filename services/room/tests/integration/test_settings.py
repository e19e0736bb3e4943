"""Owner settings, control grants in selected mode, and a user's room list."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


async def test_settings_change(room_service) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner, maxParticipants=4, password="open sesame")
    url = f"/api/rooms/{room['code']}"
    as_owner = room_service.auth(owner)
    async with room_service.client() as c:
        await c.post(
            f"{url}/join", json={"password": "open sesame"}, headers=room_service.auth(bob)
        )
        await c.post(f"{url}/join", json={"guestName": "Kim", "password": "open sesame"})
        too_small = await c.patch(url, json={"maxParticipants": 2}, headers=as_owner)
        assert (too_small.status_code, too_small.json()["code"]) == (400, "below_seats_taken")
        assert too_small.json()["errors"][0]["field"] == "maxParticipants"
        by_member = await c.patch(url, json={"name": "mine"}, headers=room_service.auth(bob))
        assert (by_member.status_code, by_member.json()["code"]) == (403, "owner_only")
        changed = await c.patch(
            url,
            json={"name": "New name", "maxParticipants": 3, "playbackControl": "selected"},
            headers=as_owner,
        )
        assert changed.status_code == 200, changed.text
        body = changed.json()["room"]
        assert (body["name"], body["maxParticipants"], body["playbackControl"]) == (
            "New name",
            3,
            "selected",
        )
        assert body["hasPassword"] is True  # not mentioned, so kept
        removed = await c.patch(url, json={"password": None}, headers=as_owner)
        assert removed.json()["room"]["hasPassword"] is False
        public = (await c.get(url)).json()["room"]
        assert (public["name"], public["hasPassword"]) == ("New name", False)


async def test_control_grants_in_selected_mode(room_service) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner, playbackControl="selected")
    url = f"/api/rooms/{room['code']}"
    as_owner = room_service.auth(owner)
    async with room_service.client() as c:
        bob_member = (await c.post(f"{url}/join", headers=room_service.auth(bob))).json()["member"]
        assert bob_member["canControl"] is False
        denied = await c.put(
            f"{url}/controllers/{bob_member['id']}", headers=room_service.auth(bob)
        )
        assert denied.status_code == 403
        assert (
            await c.put(f"{url}/controllers/{bob_member['id']}", headers=as_owner)
        ).status_code == 204
        view = (await c.get(f"{url}/members", headers=room_service.auth(bob))).json()
        assert view["member"]["canControl"] is True
        assert view["room"]["controllers"] == [bob_member["id"]]
        assert (
            await c.delete(f"{url}/controllers/{bob_member['id']}", headers=as_owner)
        ).status_code == 204
        view = (await c.get(f"{url}/members", headers=room_service.auth(bob))).json()
        assert view["member"]["canControl"] is False


async def test_my_rooms_and_history(room_service) -> None:
    ann, bob = room_service.new_user(), room_service.new_user()
    mine = await room_service.create_room(ann, name="Mine")
    theirs = await room_service.create_room(bob, name="Theirs")
    async with room_service.client() as c:
        await c.post(f"/api/rooms/{theirs['code']}/join", headers=room_service.auth(ann))
        await c.post(f"/api/rooms/{theirs['code']}/leave", headers=room_service.auth(ann))
        listed = (await c.get("/api/rooms", headers=room_service.auth(ann))).json()["rooms"]
        anonymous = await c.get("/api/rooms")
    assert anonymous.status_code == 401
    assert [(r["room"]["code"], r["role"], r["leftAt"] is None) for r in listed] == [
        (mine["code"], "owner", True),
        (theirs["code"], "member", False),
    ]
