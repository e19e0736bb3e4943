"""Owner settings (the buffering policy included, over REST and gRPC), control grants in selected
mode, and a user's room list."""

from __future__ import annotations

import pytest

from syncwatch.core.grpc import create_channel
from syncwatch.proto.room.v1 import room_pb2, room_pb2_grpc

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


DEFAULT_BUFFERING = {"policy": "wait_then_continue", "graceSeconds": 10}


async def _grpc_room(room_service, code: str) -> room_pb2.Room:
    async with create_channel(room_service.grpc_address) as channel:
        stub = room_pb2_grpc.RoomServiceStub(channel)
        answer = await stub.GetRoom(room_pb2.GetRoomRequest(room=room_pb2.RoomRef(code=code)))
    return answer.room


async def test_buffering_defaults_to_wait_then_continue_for_ten_seconds(room_service) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner)
    assert room["buffering"] == DEFAULT_BUFFERING
    async with room_service.client() as c:
        joined = await c.post(f"/api/rooms/{room['code']}/join", headers=room_service.auth(bob))
        public = (await c.get(f"/api/rooms/{room['code']}")).json()["room"]
    assert joined.json()["room"]["buffering"] == DEFAULT_BUFFERING  # what members get
    assert "buffering" not in public  # a setting, not a public fact
    grpc_room = await _grpc_room(room_service, room["code"])
    assert (grpc_room.buffering_policy, grpc_room.buffering_grace_seconds) == (
        "wait_then_continue",
        10,
    )


@pytest.mark.parametrize(
    ("buffering", "expected"),
    [
        ({"policy": "always_wait"}, {"policy": "always_wait", "graceSeconds": 10}),
        ({"graceSeconds": 30}, {"policy": "wait_then_continue", "graceSeconds": 30}),
        (
            {"policy": "never_wait", "graceSeconds": 120},
            {"policy": "never_wait", "graceSeconds": 120},
        ),
        ({}, DEFAULT_BUFFERING),
    ],
)
async def test_create_with_a_buffering_policy(
    room_service, buffering: dict[str, object], expected: dict[str, object]
) -> None:
    room = await room_service.create_room(room_service.new_user(), buffering=buffering)
    assert room["buffering"] == expected
    grpc_room = await _grpc_room(room_service, room["code"])
    assert (grpc_room.buffering_policy, grpc_room.buffering_grace_seconds) == (
        expected["policy"],
        expected["graceSeconds"],
    )


async def test_patch_buffering_changes_only_what_is_sent(room_service) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner, buffering={"policy": "always_wait"})
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        await c.post(f"{url}/join", headers=room_service.auth(bob))
        grace = await c.patch(
            url, json={"buffering": {"graceSeconds": 45}}, headers=room_service.auth(owner)
        )
        assert grace.status_code == 200, grace.text
        assert grace.json()["room"]["buffering"] == {"policy": "always_wait", "graceSeconds": 45}
        policy = await c.patch(
            url, json={"buffering": {"policy": "never_wait"}}, headers=room_service.auth(owner)
        )
        assert policy.json()["room"]["buffering"] == {"policy": "never_wait", "graceSeconds": 45}
        # Other settings leave it alone; a member sees it; only the owner may change it.
        renamed = await c.patch(url, json={"name": "Renamed"}, headers=room_service.auth(owner))
        assert renamed.json()["room"]["buffering"] == {"policy": "never_wait", "graceSeconds": 45}
        seen = (await c.get(f"{url}/members", headers=room_service.auth(bob))).json()["room"]
        assert seen["buffering"] == {"policy": "never_wait", "graceSeconds": 45}
        by_member = await c.patch(
            url, json={"buffering": {"policy": "always_wait"}}, headers=room_service.auth(bob)
        )
        assert (by_member.status_code, by_member.json()["code"]) == (403, "owner_only")
    grpc_room = await _grpc_room(room_service, room["code"])
    assert (grpc_room.buffering_policy, grpc_room.buffering_grace_seconds) == ("never_wait", 45)


@pytest.mark.parametrize(
    ("buffering", "fields"),
    [
        ({"policy": "sometimes"}, ["buffering.policy"]),
        ({"graceSeconds": 0}, ["buffering.graceSeconds"]),
        ({"graceSeconds": 121}, ["buffering.graceSeconds"]),
        ({"policy": "", "graceSeconds": -5}, ["buffering.policy", "buffering.graceSeconds"]),
    ],
)
async def test_bad_buffering_is_a_400_naming_the_field_and_changes_nothing(
    room_service, buffering: dict[str, object], fields: list[str]
) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        created = await c.post(
            "/api/rooms",
            json={"maxParticipants": 2, "playbackControl": "all", "buffering": buffering},
            headers=room_service.auth(owner),
        )
        patched = await c.patch(
            url, json={"buffering": buffering}, headers=room_service.auth(owner)
        )
        after = (await c.get(f"{url}/members", headers=room_service.auth(owner))).json()["room"]
        mine = (await c.get("/api/rooms", headers=room_service.auth(owner))).json()["rooms"]
    for answer in (created, patched):
        assert (answer.status_code, answer.json()["code"]) == (400, "invalid_request")
        assert [e["field"] for e in answer.json()["errors"]] == fields
        assert all(e["message"] for e in answer.json()["errors"])
    assert after["buffering"] == DEFAULT_BUFFERING
    assert len(mine) == 1  # the refused create made no room


@pytest.mark.parametrize(
    ("buffering", "field"),
    [
        ({"graceSeconds": "ten"}, "buffering.graceSeconds"),
        ({"graceSeconds": True}, "buffering.graceSeconds"),
        ({"graceSeconds": 10.5}, "buffering.graceSeconds"),
        ({"policy": 3}, "buffering.policy"),
        ("always_wait", "buffering"),
        (None, "buffering"),
    ],
)
async def test_buffering_of_the_wrong_type_is_a_400_naming_the_field(
    room_service, buffering: object, field: str
) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    async with room_service.client() as c:
        resp = await c.patch(
            f"/api/rooms/{room['code']}",
            json={"buffering": buffering},
            headers=room_service.auth(owner),
        )
    assert (resp.status_code, resp.json()["code"]) == (400, "invalid_request")
    assert [e["field"] for e in resp.json()["errors"]] == [field]
