"""The gateway's questions to the room service (gRPC ``syncwatch.room.v1.RoomService``).

Answers come back as small frozen dataclasses so the rest of the gateway never touches protobuf.
Failures arrive as our typed errors (the channel's interceptor decodes ``syncwatch-error-bin``);
an unreachable room service is ``Unavailable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from syncwatch.core import errors
from syncwatch.core.grpc import create_channel
from syncwatch.proto.room.v1 import room_pb2, room_pb2_grpc

Action = Literal["play", "seek", "change_source", "moderate"]
_ACTIONS = {
    "play": room_pb2.ACTION_PLAY,
    "seek": room_pb2.ACTION_SEEK,
    "change_source": room_pb2.ACTION_CHANGE_SOURCE,
    "moderate": room_pb2.ACTION_MODERATE,
}
_CONTROL = {
    room_pb2.PLAYBACK_CONTROL_OWNER_ONLY: "owner_only",
    room_pb2.PLAYBACK_CONTROL_ALL: "all",
    room_pb2.PLAYBACK_CONTROL_SELECTED: "selected",
}
BUFFERING_POLICIES = ("wait_then_continue", "always_wait", "never_wait")
#: Seconds: room-service calls on the live path give up after this.
CALL_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class RoomInfo:
    """A live room's facts."""

    id: str
    code: str
    name: str
    owner_id: str
    playback_control: str
    handover_enabled: bool
    handover_order: str
    delegate_member_id: str
    buffering_policy: str
    buffering_grace_s: int


@dataclass(frozen=True)
class MemberInfo:
    """One member now."""

    id: str
    user_id: str
    guest_id: str
    name: str
    role: Literal["owner", "member"]
    can_control: bool
    joined_at: float

    @property
    def who(self) -> Who:
        return Who(user_id=self.user_id or None, guest_id=self.guest_id or None)


@dataclass(frozen=True)
class Who:
    """A user or a guest identity (exactly one)."""

    user_id: str | None = None
    guest_id: str | None = None

    @property
    def key(self) -> str:
        """A stable string for maps and presence."""
        return self.user_id or self.guest_id or ""

    def pb(self) -> room_pb2.Who:
        if self.user_id:
            return room_pb2.Who(user_id=self.user_id)
        return room_pb2.Who(guest_id=self.guest_id or "")


@dataclass(frozen=True)
class GuestIdentity:
    """Whose a guest token is."""

    guest_id: str
    room_id: str
    member_id: str
    name: str


def _room(pb: room_pb2.Room) -> RoomInfo:
    policy = (
        pb.buffering_policy if pb.buffering_policy in BUFFERING_POLICIES else BUFFERING_POLICIES[0]
    )
    return RoomInfo(
        id=pb.id,
        code=pb.code,
        name=pb.name,
        owner_id=pb.owner_id,
        playback_control=_CONTROL.get(pb.playback_control, "owner_only"),
        handover_enabled=pb.handover_enabled,
        handover_order=pb.handover_order or "join_order",
        delegate_member_id=pb.delegate_member_id,
        buffering_policy=policy,
        buffering_grace_s=pb.buffering_grace_seconds or 10,
    )


def _member(pb: room_pb2.Member) -> MemberInfo:
    return MemberInfo(
        id=pb.id,
        user_id=pb.user_id,
        guest_id=pb.guest_id,
        name=pb.display_name,
        role="owner" if pb.role == room_pb2.ROLE_OWNER else "member",
        can_control=pb.can_control,
        joined_at=pb.join_time.ToMilliseconds() if pb.HasField("join_time") else 0.0,
    )


def _ref(room: str) -> room_pb2.RoomRef:
    """``rm_…`` ids and invite codes look nothing alike."""
    if room.startswith("rm_"):
        return room_pb2.RoomRef(room_id=room)
    return room_pb2.RoomRef(code=room.strip().upper())


class RoomsClient:
    """A channel to the room service (built in the running loop), closed on shutdown."""

    def __init__(self, address: str) -> None:
        self._channel = create_channel(address)
        self.stub: room_pb2_grpc.RoomServiceAsyncStub = room_pb2_grpc.RoomServiceStub(self._channel)

    async def close(self) -> None:
        await self._channel.close(None)

    async def members(self, room: str) -> tuple[RoomInfo, list[MemberInfo]]:
        """The room and everyone in it, in join order."""
        answer = await self.stub.ListMembers(
            room_pb2.ListMembersRequest(room=_ref(room)), timeout=CALL_TIMEOUT_S
        )
        return _room(answer.room), [_member(m) for m in answer.members]

    async def membership(self, room: str, who: Who) -> MemberInfo | None:
        """``who``'s current stay in the room, or None."""
        answer = await self.stub.GetMembership(
            room_pb2.GetMembershipRequest(room=_ref(room), who=who.pb()), timeout=CALL_TIMEOUT_S
        )
        return _member(answer.member) if answer.is_member else None

    async def allowed(self, room_id: str, who: Who, action: Action) -> tuple[bool, str]:
        """Whether ``who`` may do ``action`` now, and why not."""
        answer = await self.stub.CheckPermission(
            room_pb2.CheckPermissionRequest(
                room=_ref(room_id), who=who.pb(), action=_ACTIONS[action]
            ),
            timeout=CALL_TIMEOUT_S,
        )
        return answer.allowed, answer.reason

    async def transfer(
        self, room_id: str, owner_user_id: str, new_owner_member_id: str
    ) -> RoomInfo:
        answer = await self.stub.TransferOwnership(
            room_pb2.TransferOwnershipRequest(
                room=_ref(room_id),
                owner_user_id=owner_user_id,
                new_owner_member_id=new_owner_member_id,
            ),
            timeout=CALL_TIMEOUT_S,
        )
        return _room(answer.room)

    async def verify_guest_token(self, token: str) -> GuestIdentity:
        """The guest a token belongs to; ``Unauthenticated`` when it is not a live guest's."""
        answer = await self.stub.VerifyGuestToken(
            room_pb2.VerifyGuestTokenRequest(token=token), timeout=CALL_TIMEOUT_S
        )
        return GuestIdentity(answer.guest_id, answer.room_id, answer.member_id, answer.name)

    async def keep_alive(self, room_id: str) -> None:
        await self.stub.KeepAlive(
            room_pb2.KeepAliveRequest(room=_ref(room_id)), timeout=CALL_TIMEOUT_S
        )


def is_unavailable(exc: BaseException) -> bool:
    """True for failures of the room service itself rather than answers about the room."""
    return isinstance(exc, errors.Unavailable | errors.Internal)
