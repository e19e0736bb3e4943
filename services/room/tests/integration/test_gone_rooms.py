"""Gone rooms say why (room_not_found / room_expired / room_ended) on every path, REST and gRPC,
and every one of those answers counts toward the unknown-code block."""

from __future__ import annotations

import pytest

from syncwatch.core import errors
from syncwatch.core.grpc import create_channel
from syncwatch.proto.room.v1 import room_pb2, room_pb2_grpc

pytestmark = pytest.mark.integration


async def _codes_on_every_path(room_service, code: str, user) -> set[tuple[int, str]]:
    """The (status, code) answers of the public, member, owner and join paths for ``code``.

    Each request comes from an address of its own, so these 404s never add up to a block.
    """
    url = f"/api/rooms/{code}"
    auth = room_service.auth(user)
    requests = [
        ("GET", url, None, None),
        ("GET", f"{url}/members", auth, None),
        ("POST", f"{url}/join", auth, None),
        ("POST", f"{url}/leave", auth, None),
        ("PATCH", url, auth, {"name": "x"}),
        ("DELETE", url, auth, None),
        ("POST", f"{url}/invites", auth, {"userId": "u_x"}),
    ]
    answers = set()
    for method, path, headers, body in requests:
        async with room_service.client() as c:
            resp = await c.request(method, path, headers=headers, json=body)
        answers.add((resp.status_code, resp.json()["code"]))
    return answers


async def test_gone_rooms_say_why_on_every_path(room_service) -> None:
    owner = room_service.new_user()
    ended = await room_service.create_room(owner)
    left = await room_service.create_room(owner)
    expired = await room_service.create_room(room_service.new_user())
    async with room_service.client() as c:
        assert (
            await c.delete(f"/api/rooms/{ended['code']}", headers=room_service.auth(owner))
        ).status_code == 204
        # The last signed-in member leaving ends the room too.
        assert (
            await c.post(f"/api/rooms/{left['code']}/leave", headers=room_service.auth(owner))
        ).status_code == 204
    room_service.clock.advance(24 * 3600)  # the other rooms ran out of time

    for code, want in (
        (ended["code"], "room_ended"),
        (left["code"], "room_ended"),
        (expired["code"], "room_expired"),
        ("ZZZZZZZ9", "room_not_found"),
    ):
        assert await _codes_on_every_path(room_service, code, owner) == {(404, want)}, code


async def test_gone_rooms_count_toward_the_unknown_code_block(room_service) -> None:
    owner = room_service.new_user()
    ended = await room_service.create_room(owner)
    expired = await room_service.create_room(owner)
    async with room_service.client() as c:
        await c.delete(f"/api/rooms/{ended['code']}", headers=room_service.auth(owner))
    room_service.clock.advance(24 * 3600)
    live = await room_service.create_room(room_service.new_user())
    ip = room_service.next_ip()
    async with room_service.client(ip) as c:
        for code in (ended["code"], expired["code"], ended["code"], expired["code"], "ZZZZZZZ8"):
            assert (await c.get(f"/api/rooms/{code}")).status_code == 404
        blocked = await c.get(f"/api/rooms/{live['code']}")
        assert (blocked.status_code, blocked.json()["code"]) == (429, "rate_limited")


async def test_grpc_says_why_too(room_service) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    async with room_service.client() as c:
        await c.delete(f"/api/rooms/{room['code']}", headers=room_service.auth(owner))
    async with create_channel(room_service.grpc_address) as channel:
        stub = room_pb2_grpc.RoomServiceStub(channel)
        for ref in (room_pb2.RoomRef(room_id=room["id"]), room_pb2.RoomRef(code=room["code"])):
            with pytest.raises(errors.NotFound) as gone:
                await stub.GetRoom(room_pb2.GetRoomRequest(room=ref))
            assert gone.value.code == "room_ended"
        with pytest.raises(errors.NotFound) as unknown:
            await stub.GetRoom(room_pb2.GetRoomRequest(room=room_pb2.RoomRef(room_id="rm_none")))
        assert unknown.value.code == "room_not_found"
