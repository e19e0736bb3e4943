"""gRPC RoomService against the running service, typed errors included."""

from __future__ import annotations

import pytest

from syncwatch.core import errors
from syncwatch.core.grpc import create_channel
from syncwatch.proto.room.v1 import room_pb2, room_pb2_grpc

pytestmark = pytest.mark.integration


@pytest.fixture
async def stub(room_service):
    async with create_channel(room_service.grpc_address) as channel:
        yield room_pb2_grpc.RoomServiceStub(channel)


async def test_rooms_members_and_permissions(room_service, stub) -> None:
    owner, bob, carl = (room_service.new_user() for _ in range(3))
    room = await room_service.create_room(owner, playbackControl="selected", maxParticipants=4)
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        bob_m = (await c.post(f"{url}/join", headers=room_service.auth(bob))).json()["member"]
        guest = (await c.post(f"{url}/join", json={"guestName": "Kim"})).json()
        await c.put(f"{url}/controllers/{bob_m['id']}", headers=room_service.auth(owner))

    by_code = await stub.GetRoom(room_pb2.GetRoomRequest(room=room_pb2.RoomRef(code=room["code"])))
    by_id = await stub.GetRoom(room_pb2.GetRoomRequest(room=room_pb2.RoomRef(room_id=room["id"])))
    assert by_code.room == by_id.room
    assert by_id.room.seats_taken == 3
    assert by_id.room.playback_control == room_pb2.PLAYBACK_CONTROL_SELECTED

    ref = room_pb2.RoomRef(room_id=room["id"])
    listed = await stub.ListMembers(room_pb2.ListMembersRequest(room=ref))
    assert [m.role for m in listed.members] == [
        room_pb2.ROLE_OWNER,
        room_pb2.ROLE_MEMBER,
        room_pb2.ROLE_MEMBER,
    ]
    assert [m.can_control for m in listed.members] == [True, True, False]

    guest_id = guest["member"]["id"]
    member = await stub.GetMembership(
        room_pb2.GetMembershipRequest(room=ref, who=room_pb2.Who(user_id=bob.id))
    )
    assert member.is_member
    assert member.member.id == bob_m["id"]
    outsider = await stub.GetMembership(
        room_pb2.GetMembershipRequest(room=ref, who=room_pb2.Who(user_id=carl.id))
    )
    assert not outsider.is_member

    async def check(who: room_pb2.Who, action: int) -> bool:
        answer = await stub.CheckPermission(
            room_pb2.CheckPermissionRequest(room=ref, who=who, action=action)
        )
        return answer.allowed

    owner_who, bob_who = room_pb2.Who(user_id=owner.id), room_pb2.Who(user_id=bob.id)
    guest_who = room_pb2.Who(guest_id=next(m.guest_id for m in listed.members if m.id == guest_id))
    assert await check(owner_who, room_pb2.ACTION_MODERATE)
    assert await check(bob_who, room_pb2.ACTION_SEEK)
    assert not await check(bob_who, room_pb2.ACTION_MODERATE)
    assert not await check(guest_who, room_pb2.ACTION_PLAY)
    assert not await check(room_pb2.Who(user_id=carl.id), room_pb2.ACTION_PLAY)


async def test_transfer_and_typed_errors(room_service, stub) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner)
    async with room_service.client() as c:
        bob_m = (
            await c.post(f"/api/rooms/{room['code']}/join", headers=room_service.auth(bob))
        ).json()["member"]
    ref = room_pb2.RoomRef(code=room["code"])
    with pytest.raises(errors.Forbidden) as denied:
        await stub.TransferOwnership(
            room_pb2.TransferOwnershipRequest(
                room=ref, owner_user_id=bob.id, new_owner_member_id=bob_m["id"]
            )
        )
    assert denied.value.code == "owner_only"
    moved = await stub.TransferOwnership(
        room_pb2.TransferOwnershipRequest(
            room=ref, owner_user_id=owner.id, new_owner_member_id=bob_m["id"]
        )
    )
    assert moved.room.owner_id == bob.id
    with pytest.raises(errors.NotFound) as missing:
        await stub.GetRoom(room_pb2.GetRoomRequest(room=room_pb2.RoomRef(code="ZZZZZZZZ")))
    assert missing.value.code == "room_not_found"
    with pytest.raises(errors.InvalidRequest):
        await stub.GetRoom(room_pb2.GetRoomRequest())


async def test_verify_guest_token_names_a_guest_only_while_they_are_in(room_service, stub) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    other = await room_service.create_room(room_service.new_user())
    async with room_service.client() as c:
        joined = (await c.post(f"/api/rooms/{room['code']}/join", json={"guestName": "Kim"})).json()
    token = joined["guestToken"]
    answer = await stub.VerifyGuestToken(room_pb2.VerifyGuestTokenRequest(token=token))
    assert answer.room_id == room["id"]
    assert answer.member_id == joined["member"]["id"]
    assert answer.name == "Kim"
    assert answer.guest_id.startswith("g_")
    assert answer.expire_time.seconds > 0
    assert other["id"] != answer.room_id

    with pytest.raises(errors.Unauthenticated):
        await stub.VerifyGuestToken(room_pb2.VerifyGuestTokenRequest(token=token[:-4] + "AAAA"))
    async with room_service.client() as c:
        kicked = await c.post(
            f"/api/rooms/{room['code']}/members/{joined['member']['id']}/kick",
            json={"reason": "bye"},
            headers=room_service.auth(owner),
        )
    assert kicked.status_code == 204
    with pytest.raises(errors.Forbidden) as gone:
        await stub.VerifyGuestToken(room_pb2.VerifyGuestTokenRequest(token=token))
    assert gone.value.code == "kicked"


async def test_keep_alive_moves_the_expiry_forward(room_service, stub) -> None:
    room = await room_service.create_room(room_service.new_user())
    ref = room_pb2.RoomRef(room_id=room["id"])
    before = (await stub.GetRoom(room_pb2.GetRoomRequest(room=ref))).room.expire_time.seconds
    room_service.clock.advance(3600)
    kept = await stub.KeepAlive(room_pb2.KeepAliveRequest(room=ref))
    assert kept.expire_time.seconds == before + 3600
    after = (await stub.GetRoom(room_pb2.GetRoomRequest(room=ref))).room.expire_time.seconds
    assert after == before + 3600
    with pytest.raises(errors.NotFound):
        await stub.KeepAlive(
            room_pb2.KeepAliveRequest(room=room_pb2.RoomRef(room_id="rm_doesnotexist"))
        )
