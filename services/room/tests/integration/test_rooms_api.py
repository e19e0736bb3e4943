"""The rooms REST API against the service in-process: create, look up, join, guests, delete."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from syncwatch.room.adapters.postgres import RoomStore
from syncwatch.room.domain.rooms import CODE_ALPHABET, CODE_LENGTH, new_id
from syncwatch.room.rooms import RoomService

pytestmark = pytest.mark.integration


def _store(room_service) -> RoomStore:
    rooms = room_service.definition.extra["rooms"]
    assert isinstance(rooms, RoomService)
    return rooms.store


async def test_create_and_look_up_a_room(room_service) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(
        owner, name="Friday film", maxParticipants=3, password="open sesame"
    )
    assert len(room["code"]) == CODE_LENGTH
    assert set(room["code"]) <= set(CODE_ALPHABET)
    assert room["inviteUrl"] == f"/r/{room['code']}"
    async with room_service.client() as c:
        resp = await c.get(f"/api/rooms/{room['code'].lower()}")
    assert resp.status_code == 200, resp.text
    public = resp.json()["room"]
    assert public == {
        "code": room["code"],
        "name": "Friday film",
        "owner": {"id": owner.id, "username": owner.username},
        "seatsTaken": 1,
        "maxParticipants": 3,
        "hasPassword": True,
        "playbackControl": "owner_only",
        "nowPlaying": None,
        "expiresAt": room["expiresAt"],
    }
    assert "hash" not in resp.text.lower()
    assert "sesame" not in resp.text


async def test_creating_needs_a_signed_in_user_and_valid_settings(room_service) -> None:
    async with room_service.client() as c:
        anonymous = await c.post(
            "/api/rooms", json={"maxParticipants": 2, "playbackControl": "all"}
        )
        bad = await c.post(
            "/api/rooms",
            json={"maxParticipants": 9, "playbackControl": "anyone"},
            headers=room_service.auth(room_service.new_user()),
        )
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "auth_required"
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"maxParticipants", "playbackControl"}


async def test_five_rooms_per_user_per_hour(room_service) -> None:
    owner = room_service.new_user()
    for _ in range(5):
        await room_service.create_room(owner)
    async with room_service.client() as c:
        resp = await c.post(
            "/api/rooms",
            json={"maxParticipants": 2, "playbackControl": "all"},
            headers=room_service.auth(owner),
        )
        assert resp.status_code == 429
        assert resp.json()["code"] == "rate_limited"
        assert 0 < int(resp.headers["Retry-After"]) <= 3600
        room_service.clock.advance(3601)
        again = await c.post(
            "/api/rooms",
            json={"maxParticipants": 2, "playbackControl": "all"},
            headers=room_service.auth(owner),
        )
    assert again.status_code == 201, again.text


async def test_users_join_once_and_rejoin_idempotently(room_service) -> None:
    room = await room_service.create_room(room_service.new_user())
    bob = room_service.new_user()
    async with room_service.client() as c:
        first = await c.post(f"/api/rooms/{room['code']}/join", headers=room_service.auth(bob))
        again = await c.post(f"/api/rooms/{room['code']}/join", headers=room_service.auth(bob))
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert first.json()["member"]["id"] == again.json()["member"]["id"]
    body = again.json()
    assert body["member"]["user"] == {"id": bob.id, "username": bob.username}
    assert [m["role"] for m in body["members"]] == ["owner", "member"]
    assert "guestToken" not in body
    assert body["room"]["seatsTaken"] == 2


async def test_password_rooms(room_service) -> None:
    room = await room_service.create_room(room_service.new_user(), password="open sesame")
    bob = room_service.new_user()
    url = f"/api/rooms/{room['code']}/join"
    async with room_service.client() as c:
        missing = await c.post(url, headers=room_service.auth(bob))
        wrong = await c.post(url, json={"password": "nope"}, headers=room_service.auth(bob))
        right = await c.post(url, json={"password": "open sesame"}, headers=room_service.auth(bob))
        # A current member joining again needs no password.
        again = await c.post(url, headers=room_service.auth(bob))
    assert (missing.status_code, missing.json()["code"]) == (401, "password_required")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "wrong_password")
    assert right.status_code == 201, right.text
    assert again.status_code == 200, again.text


async def test_a_full_room_answers_409(room_service) -> None:
    room = await room_service.create_room(room_service.new_user(), maxParticipants=2)
    async with room_service.client() as c:
        ok = await c.post(
            f"/api/rooms/{room['code']}/join", headers=room_service.auth(room_service.new_user())
        )
        full = await c.post(
            f"/api/rooms/{room['code']}/join", headers=room_service.auth(room_service.new_user())
        )
    assert ok.status_code == 201
    assert full.status_code == 409
    assert full.json()["code"] == "room_full"
    assert "full" in full.json()["detail"]


async def test_twenty_concurrent_joins_leave_exactly_five_members(room_service) -> None:
    room = await room_service.create_room(room_service.new_user(), maxParticipants=5)
    url = f"/api/rooms/{room['code']}/join"

    async def join(i: int) -> int:
        async with room_service.client() as c:
            if i % 2:
                resp = await c.post(url, headers=room_service.auth(room_service.new_user()))
            else:
                resp = await c.post(url, json={"guestName": f"guest {i}"})
        return resp.status_code

    statuses = await asyncio.gather(*(join(i) for i in range(20)))
    assert sorted(statuses) == [201] * 4 + [409] * 16
    async with room_service.client() as c:
        summary = (await c.get(f"/api/rooms/{room['code']}")).json()["room"]
    assert summary["seatsTaken"] == 5


async def test_a_banned_user_gets_403(room_service) -> None:
    room = await room_service.create_room(room_service.new_user())
    carl = room_service.new_user()
    store = _store(room_service)
    live = await store.live_room(
        room["code"], dt.datetime.fromtimestamp(room_service.clock.now(), dt.UTC)
    )
    assert live is not None
    await store._pg.pool.execute(
        "INSERT INTO bans (id, room_id, user_id, display_name, banned_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, now())",
        new_id("b"),
        live.id,
        carl.id,
        carl.username,
        live.owner_id,
    )
    async with room_service.client() as c:
        resp = await c.post(f"/api/rooms/{room['code']}/join", headers=room_service.auth(carl))
    assert (resp.status_code, resp.json()["code"]) == (403, "banned")


async def test_guests_get_a_token_bound_to_their_room(room_service) -> None:
    room_a = await room_service.create_room(room_service.new_user())
    room_b = await room_service.create_room(room_service.new_user())
    async with room_service.client() as c:
        nameless = await c.post(f"/api/rooms/{room_a['code']}/join", json={})
        joined = await c.post(f"/api/rooms/{room_a['code']}/join", json={"guestName": "  Kim "})
        assert nameless.status_code == 400
        assert nameless.json()["errors"][0]["field"] == "guestName"
        assert joined.status_code == 201, joined.text
        body = joined.json()
        assert body["member"]["kind"] == "guest"
        assert body["member"]["guestName"] == "Kim"
        assert body["guestTokenExpiresIn"] == 3600
        guest = room_service.bearer(body["guestToken"])

        mine = await c.get(f"/api/rooms/{room_a['code']}/members", headers=guest)
        other = await c.get(f"/api/rooms/{room_b['code']}/members", headers=guest)
        join_other = await c.post(f"/api/rooms/{room_b['code']}/join", json={}, headers=guest)
        as_user = await c.post(
            "/api/rooms", json={"maxParticipants": 2, "playbackControl": "all"}, headers=guest
        )
        rejoin = await c.post(f"/api/rooms/{room_a['code']}/join", headers=guest)
        renewed = await c.post(f"/api/rooms/{room_a['code']}/guest-token", headers=guest)
    assert mine.status_code == 200, mine.text
    assert [m["kind"] for m in mine.json()["members"]] == ["user", "guest"]
    assert other.status_code == 401
    assert join_other.status_code == 401
    assert as_user.status_code == 401
    assert rejoin.status_code == 200
    assert rejoin.json()["member"]["id"] == body["member"]["id"]
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["guestTokenExpiresIn"] == 3600


async def test_guest_tokens_expire_and_stop_when_the_room_ends(room_service) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    async with room_service.client() as c:
        body = (await c.post(f"/api/rooms/{room['code']}/join", json={"guestName": "Kim"})).json()
        guest = room_service.bearer(body["guestToken"])
        room_service.clock.advance(3600)
        expired = await c.get(f"/api/rooms/{room['code']}/members", headers=guest)
        assert expired.status_code == 401

        body = (await c.post(f"/api/rooms/{room['code']}/join", json={"guestName": "Lee"})).json()
        guest = room_service.bearer(body["guestToken"])
        deleted = await c.delete(f"/api/rooms/{room['code']}", headers=room_service.auth(owner))
        assert deleted.status_code == 204
        after = await c.post(f"/api/rooms/{room['code']}/guest-token", headers=guest)
    assert after.status_code == 404


async def test_only_the_owner_deletes_and_a_deleted_room_is_gone(room_service) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner)
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        await c.post(f"{url}/join", headers=room_service.auth(bob))
        by_member = await c.delete(url, headers=room_service.auth(bob))
        assert (by_member.status_code, by_member.json()["code"]) == (403, "owner_only")
        assert (await c.delete(url, headers=room_service.auth(owner))).status_code == 204
        gone = await c.get(url)
        assert (gone.status_code, gone.json()["code"]) == (404, "room_ended")
        join = await c.post(f"{url}/join", headers=room_service.auth(bob))
        assert (join.status_code, join.json()["code"]) == (404, "room_ended")
        again = await c.delete(url, headers=room_service.auth(owner))
        assert (again.status_code, again.json()["code"]) == (404, "room_ended")


async def test_rooms_expire_unless_in_use(room_service) -> None:
    idle = await room_service.create_room(room_service.new_user())
    busy = await room_service.create_room(room_service.new_user())
    async with room_service.client() as c:
        room_service.clock.advance(12 * 3600)
        joined = await c.post(
            f"/api/rooms/{busy['code']}/join", headers=room_service.auth(room_service.new_user())
        )
        assert joined.status_code == 201
        room_service.clock.advance(12 * 3600)
        expired = await c.get(f"/api/rooms/{idle['code']}")
        assert (expired.status_code, expired.json()["code"]) == (404, "room_expired")
        assert (await c.get(f"/api/rooms/{busy['code']}")).status_code == 200
        late = await c.post(
            f"/api/rooms/{idle['code']}/join", headers=room_service.auth(room_service.new_user())
        )
        assert (late.status_code, late.json()["code"]) == (404, "room_expired")


async def test_unknown_and_malformed_codes_are_404(room_service) -> None:
    async with room_service.client() as c:
        assert (await c.get("/api/rooms/ZZZZZZZZ")).status_code == 404
        assert (await c.get("/api/rooms/not-a-code")).status_code == 404


async def test_openapi_lists_the_codes_each_endpoint_answers(room_service) -> None:
    async with room_service.client() as c:
        resp = await c.get("/api/rooms/openapi/openapi.json")
    assert resp.status_code == 200
    paths = resp.json()["paths"]

    def codes(method: str, path: str, status: str) -> str:
        response = paths[path][method]["responses"][status]
        assert "application/problem+json" in response["content"], (method, path, status)
        description: str = response["description"]
        return description

    gone = ("room_not_found", "room_expired", "room_ended")
    for method, path in (
        ("get", "/api/rooms/{code}"),
        ("post", "/api/rooms/{code}/join"),
        ("get", "/api/rooms/{code}/members"),
        ("patch", "/api/rooms/{code}"),
        ("post", "/api/rooms/{code}/invites"),
    ):
        assert all(c in codes(method, path, "404") for c in gone), (method, path)
    for method, path in (
        ("get", "/api/rooms/{code}/members"),
        ("post", "/api/rooms/{code}/leave"),
        ("post", "/api/rooms/{code}/guest-token"),
    ):
        assert all(c in codes(method, path, "403") for c in ("kicked", "banned")), path
    patch_400 = codes("patch", "/api/rooms/{code}", "400")
    assert all(c in patch_400 for c in ("guest_cannot_own", "cannot_target_self"))
    assert "member_not_found" in codes("patch", "/api/rooms/{code}", "404")
    assert "dependency_unavailable" in codes("post", "/api/rooms/{code}/invites", "503")
    assert "not_friends" in codes("post", "/api/rooms/{code}/invites", "403")
    assert "already_member" in codes("post", "/api/rooms/{code}/invites", "409")
    assert "invite_not_found" in codes("delete", "/api/rooms/invites/{invite_id}", "404")
    assert "401" in paths["/api/rooms/invites"]["get"]["responses"]
    invite = resp.json()["components"]["schemas"]["Invite"]
    assert set(invite["properties"]) == {"id", "room", "from", "createdAt"}


async def test_openapi_says_which_endpoints_need_which_token(room_service) -> None:
    async with room_service.client() as c:
        schema = (await c.get("/api/rooms/openapi/openapi.json")).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["bearerAuth"]["bearerFormat"] == "JWT"
    assert schemes["guestToken"]["scheme"] == "bearer"
    paths = schema["paths"]

    def security(method: str, path: str) -> object:
        return paths[path][method].get("security")

    user = [{"bearerAuth": []}]
    assert security("post", "/api/rooms") == user
    assert security("get", "/api/rooms") == user
    assert security("delete", "/api/rooms/{code}") == user
    assert security("patch", "/api/rooms/{code}") == user
    assert security("get", "/api/rooms/invites") == user
    # Public facts need no token; joining works without one (as a guest), or with either token.
    assert security("get", "/api/rooms/{code}") is None
    assert security("post", "/api/rooms/{code}/join") == [
        {},
        {"bearerAuth": []},
        {"guestToken": []},
    ]
    member = [{"bearerAuth": []}, {"guestToken": []}]
    assert security("get", "/api/rooms/{code}/members") == member
    assert security("post", "/api/rooms/{code}/leave") == member
    assert security("post", "/api/rooms/{code}/guest-token") == [{"guestToken": []}]
    for path, item in paths.items():
        for method, operation in item.items():
            named = {name for r in operation.get("security") or [] for name in r}
            assert named <= set(schemes), (method, path)
