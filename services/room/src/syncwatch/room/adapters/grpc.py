"""gRPC ``syncwatch.room.v1.RoomService``: rooms, memberships and permissions for other services.

Failures are raised as our typed errors; the server's interceptor turns them into status codes with
the ``syncwatch-error-bin`` trailer (``room_not_found``, ``room_expired``, ``room_ended``,
``owner_only``, ``invalid_request``, …).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from syncwatch.core import errors
from syncwatch.core.grpc import Registration
from syncwatch.proto.room.v1 import room_pb2, room_pb2_grpc
from syncwatch.room.adapters.postgres import Identity, MemberRow
from syncwatch.room.domain.rooms import Action, PlaybackControl, Role, may
from syncwatch.room.rooms import RoomService, RoomView, room_not_found

SERVICE_NAME = room_pb2.DESCRIPTOR.services_by_name["RoomService"].full_name

Context = grpc.aio.ServicerContext[Any, Any]

_CONTROL = {
    PlaybackControl.OWNER_ONLY: room_pb2.PLAYBACK_CONTROL_OWNER_ONLY,
    PlaybackControl.ALL: room_pb2.PLAYBACK_CONTROL_ALL,
    PlaybackControl.SELECTED: room_pb2.PLAYBACK_CONTROL_SELECTED,
}
_ROLE = {Role.OWNER: room_pb2.ROLE_OWNER, Role.MEMBER: room_pb2.ROLE_MEMBER}
_ACTION = {
    room_pb2.ACTION_PLAY: Action.PLAY,
    room_pb2.ACTION_SEEK: Action.SEEK,
    room_pb2.ACTION_CHANGE_SOURCE: Action.CHANGE_SOURCE,
    room_pb2.ACTION_MODERATE: Action.MODERATE,
}


def _timestamp(at: dt.datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def _room(view: RoomView) -> room_pb2.Room:
    r = view.room
    return room_pb2.Room(
        id=r.id,
        code=r.code,
        name=r.name,
        owner_id=r.owner_id,
        max_participants=r.max_participants,
        seats_taken=view.seats_taken,
        has_password=r.password_hash is not None,
        playback_control=_CONTROL[r.playback_control],
        handover_enabled=r.handover_enabled,
        handover_order=r.handover_order.value,
        create_time=_timestamp(r.created_at),
        expire_time=_timestamp(r.expires_at),
        delegate_member_id=r.delegate_member_id or "",
        buffering_policy=r.buffering_policy.value,
        buffering_grace_seconds=r.buffering_grace_s,
    )


def _member(view: RoomView, m: MemberRow, controllers: frozenset[str]) -> room_pb2.Member:
    return room_pb2.Member(
        id=m.id,
        user_id=m.user_id or "",
        guest_id=m.guest_id or "",
        display_name=m.display_name,
        role=_ROLE[m.role],
        join_time=_timestamp(m.joined_at),
        can_control=may(
            Action.PLAY,
            role=m.role,
            control=view.room.playback_control,
            granted=m.id in controllers,
        ),
    )


class RoomServicer(room_pb2_grpc.RoomServiceServicer):
    """The RPCs, over the same use cases and store as the REST API."""

    def __init__(self, rooms: RoomService) -> None:
        self._rooms = rooms

    async def _view(self, ref: room_pb2.RoomRef) -> RoomView:
        which = ref.WhichOneof("ref")
        if which == "code":
            return await self._rooms.view(ref.code)
        if which == "room_id":
            row = await self._rooms.store.room_by_id(ref.room_id)
            if row is None:
                raise room_not_found()
            return await self._rooms.view(row.code)  # a gone room: room_expired or room_ended
        raise errors.InvalidRequest("room_id or code is required")

    async def _member(self, view: RoomView, who: room_pb2.Who) -> MemberRow | None:
        which = who.WhichOneof("who")
        if which == "user_id":
            identity = Identity(user_id=who.user_id, guest_id=None, display_name="")
        elif which == "guest_id":
            identity = Identity(user_id=None, guest_id=who.guest_id, display_name="")
        else:
            raise errors.InvalidRequest("user_id or guest_id is required")
        return await self._rooms.store.active_member(view.room.id, identity)

    async def GetRoom(
        self, request: room_pb2.GetRoomRequest, context: Context
    ) -> room_pb2.GetRoomResponse:
        """A live room's facts."""
        return room_pb2.GetRoomResponse(room=_room(await self._view(request.room)))

    async def GetMembership(
        self, request: room_pb2.GetMembershipRequest, context: Context
    ) -> room_pb2.GetMembershipResponse:
        """Whether they are in the room now."""
        view = await self._view(request.room)
        member = await self._member(view, request.who)
        if member is None:
            return room_pb2.GetMembershipResponse(is_member=False)
        controllers = await self._rooms.store.controllers(view.room.id)
        return room_pb2.GetMembershipResponse(
            is_member=True, member=_member(view, member, controllers)
        )

    async def CheckPermission(
        self, request: room_pb2.CheckPermissionRequest, context: Context
    ) -> room_pb2.CheckPermissionResponse:
        """By the room's playbackControl, the member's role and their control grant."""
        action = _ACTION.get(request.action)
        if action is None:
            raise errors.InvalidRequest("action is required")
        view = await self._view(request.room)
        member = await self._member(view, request.who)
        if member is None:
            return room_pb2.CheckPermissionResponse(allowed=False, reason="not a member")
        granted = member.id in await self._rooms.store.controllers(view.room.id)
        allowed = may(action, role=member.role, control=view.room.playback_control, granted=granted)
        reason = ""
        if not allowed:
            reason = (
                "only the owner may moderate"
                if action is Action.MODERATE
                else f"playback control is {view.room.playback_control.value}"
            )
        return room_pb2.CheckPermissionResponse(allowed=allowed, reason=reason)

    async def ListMembers(
        self, request: room_pb2.ListMembersRequest, context: Context
    ) -> room_pb2.ListMembersResponse:
        """Everyone in the room now, in join order."""
        view = await self._view(request.room)
        members = await self._rooms.store.active_members(view.room.id)
        controllers = await self._rooms.store.controllers(view.room.id)
        return room_pb2.ListMembersResponse(
            room=_room(view), members=[_member(view, m, controllers) for m in members]
        )

    async def TransferOwnership(
        self, request: room_pb2.TransferOwnershipRequest, context: Context
    ) -> room_pb2.TransferOwnershipResponse:
        """As the REST API's transfer, for the owner named in the request."""
        if not request.owner_user_id or not request.new_owner_member_id:
            raise errors.InvalidRequest("owner_user_id and new_owner_member_id are required")
        view = await self._view(request.room)
        after = await self._rooms.transfer(
            view.room.code, request.owner_user_id, request.new_owner_member_id, ip="grpc"
        )
        return room_pb2.TransferOwnershipResponse(room=_room(after))

    async def VerifyGuestToken(
        self, request: room_pb2.VerifyGuestTokenRequest, context: Context
    ) -> room_pb2.VerifyGuestTokenResponse:
        """For the gateway's hello: the guest behind a token, while they are in the room."""
        claims, member = await self._rooms.verify_guest(request.token)
        return room_pb2.VerifyGuestTokenResponse(
            guest_id=claims.guest_id,
            room_id=claims.room_id,
            member_id=member.id,
            name=member.display_name,
            expire_time=_timestamp(dt.datetime.fromtimestamp(claims.expires_at, dt.UTC)),
        )

    async def KeepAlive(
        self, request: room_pb2.KeepAliveRequest, context: Context
    ) -> room_pb2.KeepAliveResponse:
        """The room is in use: its expiry moves forward."""
        view = await self._view(request.room)
        expires = await self._rooms.keep_alive(view.room.id)
        return room_pb2.KeepAliveResponse(expire_time=_timestamp(expires))


def registration(servicer: RoomServicer) -> Registration:
    """Adds the servicer to a server (``ServiceDefinition.grpc_registrations``)."""

    def register(server: grpc.aio.Server) -> None:
        room_pb2_grpc.add_RoomServiceServicer_to_server(servicer, server)

    return register
