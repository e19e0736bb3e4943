"""Request and response bodies of the rooms REST API (camelCase JSON), per docs/api/rooms.md."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from syncwatch.room.adapters.postgres import BanRow, MemberRow
from syncwatch.room.domain.rooms import Action, may
from syncwatch.room.rooms import InviteView, Membership, RoomView

# Generous caps on what is read at all; the real rules answer with a clear message.
Secret = Annotated[str, msgspec.Meta(max_length=1024)]
Text = Annotated[str, msgspec.Meta(max_length=512)]


class HandoverBody(msgspec.Struct, rename="camel", kw_only=True):
    """Ownership handover settings."""

    enabled: bool = True
    order: Text = "join_order"


class BufferingBody(msgspec.Struct, rename="camel", kw_only=True):
    """What playback does while a member buffers; a field not sent keeps its current value
    (its default on create)."""

    policy: Text | msgspec.UnsetType = msgspec.UNSET
    grace_seconds: int | msgspec.UnsetType = msgspec.UNSET


class CreateRoomBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms``."""

    max_participants: int
    playback_control: Text
    name: Text | None = None
    password: Secret | None = None
    handover: HandoverBody | None = None
    buffering: BufferingBody | None = None


class SettingsBody(msgspec.Struct, rename="camel", kw_only=True):
    """``PATCH /api/rooms/:code``: only the fields sent change; ``password: null`` removes it,
    ``delegateId: null`` clears the handover delegate.
    """

    name: Text | msgspec.UnsetType = msgspec.UNSET
    max_participants: int | msgspec.UnsetType = msgspec.UNSET
    password: Secret | msgspec.UnsetType | None = msgspec.UNSET
    playback_control: Text | msgspec.UnsetType = msgspec.UNSET
    handover: HandoverBody | msgspec.UnsetType = msgspec.UNSET
    buffering: BufferingBody | msgspec.UnsetType = msgspec.UNSET
    delegate_id: Text | msgspec.UnsetType | None = msgspec.UNSET

    def changes(self) -> dict[str, object]:
        """The fields sent, by their Python names (handover and buffering as dicts of the fields
        they carry)."""
        found: dict[str, object] = {}
        for field in self.__struct_fields__:
            value = getattr(self, field)
            if value is msgspec.UNSET:
                continue
            if isinstance(value, msgspec.Struct):
                value = {
                    k: v for k, v in msgspec.structs.asdict(value).items() if v is not msgspec.UNSET
                }
            found[field] = value
        return found


class JoinBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms/:code/join``."""

    password: Secret | None = None
    guest_name: Text | None = None


class ReasonBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST …/kick``."""

    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


class BanBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms/:code/bans``."""

    member_id: Text
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


class OwnerBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms/:code/owner``."""

    member_id: Text


class InviteBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms/:code/invites``: the friend's user id."""

    user_id: Text


class PublicUser(msgspec.Struct, rename="camel", kw_only=True):
    """Another user: id and username."""

    id: str
    username: str


class Handover(msgspec.Struct, rename="camel", kw_only=True):
    """Ownership handover settings."""

    enabled: bool
    order: str


class Buffering(msgspec.Struct, rename="camel", kw_only=True):
    """What playback does while a member buffers."""

    policy: str
    grace_seconds: int


class RoomSummary(msgspec.Struct, rename="camel", kw_only=True):
    """Public facts about a room."""

    code: str
    name: str
    owner: PublicUser
    seats_taken: int
    max_participants: int
    has_password: bool
    playback_control: str
    now_playing: None
    expires_at: datetime


class Room(RoomSummary, kw_only=True):
    """What members see."""

    id: str
    created_at: datetime
    handover: Handover
    buffering: Buffering
    delegate_id: str | None
    controllers: list[str]
    invite_url: str


class Member(msgspec.Struct, rename="camel", kw_only=True, omit_defaults=True):
    """A member of a room (a user or a guest)."""

    id: str
    kind: Literal["user", "guest"]
    role: str
    joined_at: datetime
    can_control: bool
    user: PublicUser | None = None
    guest_name: str | None = None


class SummaryAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``GET /api/rooms/:code``."""

    room: RoomSummary


class CreatedAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms``."""

    room: Room
    member: Member


class MembershipAnswer(msgspec.Struct, rename="camel", kw_only=True, omit_defaults=True):
    """Join and members answers."""

    room: Room
    member: Member
    members: list[Member]
    guest_token: str | None = None
    guest_token_expires_in: int | None = None


class MyRoom(msgspec.Struct, rename="camel", kw_only=True):
    """One entry of ``GET /api/rooms``."""

    room: RoomSummary
    role: str
    joined_at: datetime
    left_at: datetime | None
    live: bool


class MyRoomsAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``GET /api/rooms``."""

    rooms: list[MyRoom]


class GuestTokenAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms/:code/guest-token``."""

    guest_token: str
    guest_token_expires_in: int


def summary(view: RoomView) -> RoomSummary:
    """The public facts of a live room."""
    r = view.room
    return RoomSummary(
        code=r.code,
        name=r.name,
        owner=PublicUser(id=r.owner_id, username=view.owner_username),
        seats_taken=view.seats_taken,
        max_participants=r.max_participants,
        has_password=r.password_hash is not None,
        playback_control=r.playback_control.value,
        now_playing=None,
        expires_at=r.expires_at,
    )


def room(view: RoomView, controllers: list[str] | None = None) -> Room:
    """What members see of a room."""
    r = view.room
    s = summary(view)
    return Room(
        **msgspec.structs.asdict(s),
        id=r.id,
        created_at=r.created_at,
        handover=Handover(enabled=r.handover_enabled, order=r.handover_order.value),
        buffering=Buffering(policy=r.buffering_policy.value, grace_seconds=r.buffering_grace_s),
        delegate_id=r.delegate_member_id,
        controllers=controllers or [],
        invite_url=f"/r/{r.code}",
    )


def member(view: RoomView, m: MemberRow, controllers: frozenset[str] = frozenset()) -> Member:
    """One member as the API shows it."""
    can = may(
        Action.PLAY,
        role=m.role,
        control=view.room.playback_control,
        granted=m.id in controllers,
    )
    if m.user_id is not None:
        return Member(
            id=m.id,
            kind="user",
            role=m.role.value,
            joined_at=m.joined_at,
            can_control=can,
            user=PublicUser(id=m.user_id, username=m.display_name),
        )
    return Member(
        id=m.id,
        kind="guest",
        role=m.role.value,
        joined_at=m.joined_at,
        can_control=can,
        guest_name=m.display_name,
    )


def membership(answer: Membership, guest_ttl_s: int) -> MembershipAnswer:
    """A join or members answer."""
    token = answer.guest_token
    grants = answer.controllers
    return MembershipAnswer(
        room=room(answer.view, sorted(grants)),
        member=member(answer.view, answer.member, grants),
        members=[member(answer.view, m, grants) for m in answer.members],
        guest_token=token,
        guest_token_expires_in=guest_ttl_s if token else None,
    )


class Ban(msgspec.Struct, rename="camel", kw_only=True, omit_defaults=True):
    """One ban."""

    id: str
    reason: str
    created_at: datetime
    user: PublicUser | None = None
    guest_name: str | None = None


class BansAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``GET /api/rooms/:code/bans``."""

    bans: list[Ban]


class RoomAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """Answers that are just the room."""

    room: Room


def ban(row: BanRow) -> Ban:
    """One ban as the API shows it."""
    if row.user_id is not None:
        return Ban(
            id=row.id,
            reason=row.reason,
            created_at=row.created_at,
            user=PublicUser(id=row.user_id, username=row.display_name),
        )
    return Ban(id=row.id, reason=row.reason, created_at=row.created_at, guest_name=row.display_name)


class Invite(msgspec.Struct, rename="camel", kw_only=True):
    """A pending invite of a friend into a room."""

    id: str
    room: RoomSummary
    from_: PublicUser = msgspec.field(name="from")
    created_at: datetime


class InviteAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/rooms/:code/invites``."""

    invite: Invite


class InvitesAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``GET /api/rooms/invites``."""

    invites: list[Invite]


def invite(found: InviteView) -> Invite:
    """One invite as the API shows it."""
    row = found.invite
    return Invite(
        id=row.id,
        room=summary(found.room),
        from_=PublicUser(id=row.from_user_id, username=row.from_username),
        created_at=row.created_at,
    )
