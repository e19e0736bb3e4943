"""The room use cases: create, look up, join (users and guests), renew a guest token, delete,
moderation, settings, and inviting friends.

The HTTP and gRPC adapters call these; rules are in ``domain.rooms``, storage in
``adapters.postgres``. Times come from the injected clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from syncwatch.core import errors
from syncwatch.core.clock import Clock
from syncwatch.core.passwords import PasswordHasher
from syncwatch.core.ratelimit import RateLimiter
from syncwatch.core.tokens import AccessClaims
from syncwatch.room.adapters.auth_client import AuthClient
from syncwatch.room.adapters.events import RoomEvents
from syncwatch.room.adapters.guest_tokens import GuestClaims, GuestTokens
from syncwatch.room.adapters.postgres import (
    BanRow,
    Identity,
    InviteOutcome,
    InviteRow,
    JoinOutcome,
    MemberRow,
    Removal,
    RoomRow,
    RoomStore,
    SettingsRefused,
    StayRow,
)
from syncwatch.room.adapters.redis import FailureGuard, GuardRule
from syncwatch.room.domain.rooms import (
    BELOW_SEATS_TAKEN,
    ROOM_TTL_S,
    RoomGone,
    SettingsError,
    gone_reason,
    guest_name_problem,
    new_id,
    normalize_code,
    validate_settings,
)


@dataclass(frozen=True)
class Caller:
    """Who is calling: a signed-in user, a guest (by guest token), or nobody."""

    user: AccessClaims | None = None
    guest: GuestClaims | None = None


UNKNOWN_CODES = GuardRule("code-miss", 5, 3600, 3600)
WRONG_PASSWORDS = GuardRule("password-miss", 3, 1800, 1800)


@dataclass(frozen=True)
class RoomPolicy:
    """Limits the service is configured with."""

    creations_per_user_per_hour: int = 5
    room_ttl_s: int = ROOM_TTL_S
    #: Spec §7.7.3: per IP, 5 unknown codes per hour, then every lookup refused for 60 minutes.
    unknown_codes: GuardRule = UNKNOWN_CODES
    #: Spec §7.7.3: per IP and room, 3 wrong passwords (within the block's length), then that
    #: room's joins are refused for 30 minutes, even with the right password.
    wrong_passwords: GuardRule = WRONG_PASSWORDS
    #: Spec §7.7.3: join attempts per IP per minute.
    joins_per_ip_per_minute: int = 10
    #: Friends one user may ask into rooms per hour (every attempt that reaches auth counts).
    invites_per_user_per_hour: int = 30


@dataclass(frozen=True)
class RoomView:
    """A live room with what its public summary needs."""

    room: RoomRow
    owner_username: str
    seats_taken: int


@dataclass(frozen=True)
class Membership:
    """The answer to a join: the room, your stay, everyone in it, and a guest token for guests."""

    view: RoomView
    member: MemberRow
    members: list[MemberRow]
    joined: bool
    guest_token: str | None = None
    controllers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InviteView:
    """A pending invite with the room it is for."""

    invite: InviteRow
    room: RoomView


def _settings_error(exc: SettingsError) -> errors.InvalidRequest:
    code = next((e.code for e in exc.errors if e.code), None)
    return errors.InvalidRequest(
        exc.errors[0].message,
        code=code,
        extra={"errors": [{"field": e.field, "message": e.message} for e in exc.errors]},
    )


def _field_error(field: str, message: str, code: str | None = None) -> errors.InvalidRequest:
    return errors.InvalidRequest(
        message, code=code, extra={"errors": [{"field": field, "message": message}]}
    )


_GONE_MESSAGES = {
    RoomGone.NOT_FOUND: "there is no such room",
    RoomGone.EXPIRED: "this room has expired",
    RoomGone.ENDED: "this room has ended",
}


def room_gone(reason: RoomGone) -> errors.NotFound:
    """The 404 for a code that is not a live room: unknown, expired or ended."""
    return errors.NotFound(_GONE_MESSAGES[reason], code=reason.value)


def room_not_found() -> errors.NotFound:
    """The 404 for a code or id that never was a room."""
    return room_gone(RoomGone.NOT_FOUND)


def removed(removal: Removal) -> errors.Forbidden:
    """403 ``kicked`` / ``banned`` with the owner's ``reason``, for someone the owner removed."""
    message = (
        "you are banned from this room"
        if removal.reason == "banned"
        else "the owner removed you from this room"
    )
    return errors.Forbidden(message, code=removal.reason, extra={"reason": removal.note})


def _member_not_found() -> errors.NotFound:
    return errors.NotFound("no such member in this room", code="member_not_found")


def _already_member() -> errors.Conflict:
    return errors.Conflict("they are in the room already", code="already_member")


class RoomService:
    """Rooms and their members."""

    def __init__(
        self,
        *,
        store: RoomStore,
        hasher: PasswordHasher,
        guest_tokens: GuestTokens,
        limiter: RateLimiter,
        guard: FailureGuard,
        events: RoomEvents,
        auth: AuthClient,
        clock: Clock,
        policy: RoomPolicy,
    ) -> None:
        self.auth = auth
        self.guard = guard
        self.events = events
        self.store = store
        self.hasher = hasher
        self.guest_tokens = guest_tokens
        self.limiter = limiter
        self.clock = clock
        self.policy = policy

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock.now(), dt.UTC)

    def _expiry(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.policy.room_ttl_s)

    async def create(
        self,
        user: AccessClaims,
        *,
        name: str | None,
        max_participants: int,
        playback_control: str,
        password: str | None,
        handover_enabled: bool,
        handover_order: str,
        buffering_policy: str,
        buffering_grace_s: int,
        ip: str,
    ) -> tuple[RoomView, MemberRow]:
        """A new room owned by ``user``; 429 past the per-user hourly limit."""
        try:
            settings = validate_settings(
                name=name,
                owner_username=user.username or "someone",
                max_participants=max_participants,
                playback_control=playback_control,
                password=password,
                handover_enabled=handover_enabled,
                handover_order=handover_order,
                buffering_policy=buffering_policy,
                buffering_grace_s=buffering_grace_s,
            )
        except SettingsError as exc:
            raise _settings_error(exc) from None
        decision = await self.limiter.hit(
            f"room-create:user:{user.user_id}", self.policy.creations_per_user_per_hour, 3600
        )
        decision.raise_if_denied("you have created many rooms lately; try again later")
        password_hash = await self.hasher.hash(password) if password is not None else None
        now = self._now()
        room, owner = await self.store.create(
            settings=settings,
            password_hash=password_hash,
            owner=Identity(user_id=user.user_id, guest_id=None, display_name=user.username),
            now=now,
            expires_at=self._expiry(now),
        )
        await self.events.emit(
            "room.created",
            room_id=room.id,
            code=room.code,
            at=now,
            actor_id=user.user_id,
            actor_ip=ip,
            member_id=owner.id,
            data={
                "maxParticipants": room.max_participants,
                "playbackControl": room.playback_control.value,
                "hasPassword": password_hash is not None,
            },
        )
        return RoomView(room, owner.display_name, 1), owner

    async def view(self, raw_code: str, *, ip: str | None = None) -> RoomView:
        """The live room with ``raw_code``; 404 ``room_not_found``, ``room_expired`` or
        ``room_ended`` otherwise.

        With the client's ``ip``, every one of those 404s counts toward its block (spec §7.7.3), and
        a blocked IP gets 429 for any code.
        """
        rule = self.policy.unknown_codes
        if ip is not None:
            (await self.guard.check(rule, ip)).raise_if_denied(
                "too many unknown room codes from your network; try again later"
            )
        code = normalize_code(raw_code)
        room = await self.store.room_by_code(code) if code else None
        gone = (
            RoomGone.NOT_FOUND
            if room is None
            else gone_reason(
                deleted_at=room.deleted_at, expires_at=room.expires_at, now=self._now()
            )
        )
        if gone is not None:
            if ip is not None:
                await self.guard.record_failure(rule, ip)
            raise room_gone(gone)
        assert room is not None
        return RoomView(
            room, await self.store.owner_name(room), await self.store.seats_taken(room.id)
        )

    async def require_member(self, view: RoomView, caller: Caller) -> MemberRow:
        """The caller's current stay in the room.

        401 without credentials; 403 ``kicked`` / ``banned`` (with the owner's ``reason``) when
        the owner ended their latest stay; otherwise 403 ``not_member``, or 401 for a guest whose
        token outlived the stay.
        """
        who = self._identity_of(view, caller)
        if who is None:
            raise errors.Unauthenticated("sign in or join as a guest first")
        member = await self.store.active_member(view.room.id, who)
        if member is None:
            removal = await self.store.last_removal(view.room.id, who)
            if removal is not None:
                raise removed(removal)
            if caller.guest is not None:
                raise errors.Unauthenticated("you are no longer in this room")
            raise errors.Forbidden("you are not in this room", code="not_member")
        return member

    def _identity_of(self, view: RoomView, caller: Caller) -> Identity | None:
        if caller.user is not None:
            return Identity(
                user_id=caller.user.user_id, guest_id=None, display_name=caller.user.username
            )
        if caller.guest is not None:
            if caller.guest.room_id != view.room.id:
                raise errors.Unauthenticated("this guest token is for another room")
            return Identity(
                user_id=None, guest_id=caller.guest.guest_id, display_name=caller.guest.name
            )
        return None

    async def join(
        self,
        raw_code: str,
        caller: Caller,
        *,
        password: str | None,
        guest_name: str | None,
        ip: str,
    ) -> Membership:
        """Join (or re-join, idempotently) the room; see docs/api/rooms.md for every answer."""
        decision = await self.limiter.hit(
            f"room-join:ip:{ip}", self.policy.joins_per_ip_per_minute, 60
        )
        decision.raise_if_denied("too many join attempts; try again in a minute")
        view = await self.view(raw_code, ip=ip)
        room = view.room
        who = self._identity_of(view, caller)
        if who is None:
            name = (guest_name or "").strip()
            if guest_name is None:
                raise _field_error("guestName", "sign in, or give a name to join as a guest")
            if problem := guest_name_problem(name):
                raise _field_error("guestName", problem)
            who = Identity(user_id=None, guest_id=new_id("g"), display_name=name)
        current = await self.store.active_member(room.id, who)
        if current is None and room.password_hash is not None:
            await self._check_password(room, password, ip)
        now = self._now()
        result = await self.store.join(room.code, who, now=now, expires_at=self._expiry(now))
        if result.outcome is JoinOutcome.GONE:
            await self.view(room.code)  # it went meanwhile: this says whether it expired or ended
            raise room_gone(RoomGone.ENDED)
        if result.outcome is JoinOutcome.BANNED:
            raise removed(Removal(reason="banned", note=result.ban_reason))
        if result.outcome is JoinOutcome.FULL:
            raise errors.Conflict(
                f"the room is full ({room.max_participants} of {room.max_participants} seats)",
                code="room_full",
            )
        member = result.member
        assert member is not None
        if result.outcome is JoinOutcome.JOINED:
            await self.events.emit(
                "participant.joined",
                room_id=room.id,
                code=room.code,
                at=member.joined_at,
                actor_id=member.user_id or member.guest_id,
                actor_ip=ip,
                member_id=member.id,
                data={"kind": "user" if member.user_id else "guest", "name": member.display_name},
            )
        members = await self.store.active_members(room.id)
        fresh = await self.view(room.code)
        token = None
        if member.guest_id is not None:
            token = self.guest_tokens.issue(
                guest_id=member.guest_id,
                room_id=room.id,
                member_id=member.id,
                name=member.display_name,
            )
        return Membership(
            view=fresh,
            member=member,
            members=members,
            joined=result.outcome is JoinOutcome.JOINED,
            guest_token=token,
        )

    async def _check_password(self, room: RoomRow, password: str | None, ip: str) -> None:
        rule, subject = self.policy.wrong_passwords, f"{ip}:{room.id}"
        (await self.guard.check(rule, subject)).raise_if_denied(
            "too many wrong passwords for this room; try again later"
        )
        if not password:
            raise errors.Unauthenticated("this room has a password", code="password_required")
        if not await self.hasher.verify(room.password_hash or "", password):
            await self.guard.record_failure(rule, subject)
            raise errors.Forbidden("that is not the room's password", code="wrong_password")

    async def members(self, raw_code: str, caller: Caller, *, ip: str | None = None) -> Membership:
        """The room, your stay and everyone in it; members only."""
        view = await self.view(raw_code, ip=ip)
        member = await self.require_member(view, caller)
        members = await self.store.active_members(view.room.id)
        controllers = await self.store.controllers(view.room.id)
        return Membership(
            view=view, member=member, members=members, joined=False, controllers=controllers
        )

    async def verify_guest(self, token: str) -> tuple[GuestClaims, MemberRow]:
        """Whose a guest token is, if it is validly signed, unexpired, and its guest is still in
        the room (for the gateway's hello); ``Unauthenticated`` (or ``kicked``/``banned``) if not."""
        claims = self.guest_tokens.verify(token)
        room = await self.store.room_by_id(claims.room_id)
        if room is None:
            raise room_not_found()
        view = await self.view(room.code)
        member = await self.require_member(view, Caller(guest=claims))
        return claims, member

    async def keep_alive(self, room_id: str) -> dt.datetime:
        """People are in the room: push its expiry forward as a join does."""
        room = await self.store.room_by_id(room_id)
        if room is None:
            raise room_not_found()
        now = self._now()
        expires = await self.store.extend(room_id, self._expiry(now), now)
        if expires is None:
            await self.view(room.code)  # says why it is gone
            raise room_not_found()
        return expires

    async def renew_guest_token(
        self, raw_code: str, caller: Caller, *, ip: str | None = None
    ) -> str:
        """A fresh guest token for a guest who is still a member."""
        if caller.guest is None:
            raise errors.Unauthenticated("only guests have guest tokens")
        view = await self.view(raw_code, ip=ip)
        member = await self.require_member(view, caller)
        assert member.guest_id is not None
        return self.guest_tokens.issue(
            guest_id=member.guest_id,
            room_id=view.room.id,
            member_id=member.id,
            name=member.display_name,
        )

    async def delete(self, raw_code: str, user: AccessClaims, *, ip: str | None = None) -> RoomView:
        """End the room; the owner only."""
        view = await self.view(raw_code, ip=ip)
        if view.room.owner_id != user.user_id:
            raise errors.Forbidden("only the room's owner may do this", code="owner_only")
        now = self._now()
        if await self.store.delete(view.room.id, now):
            await self.events.emit(
                "room.deleted",
                room_id=view.room.id,
                code=view.room.code,
                at=now,
                actor_id=user.user_id,
                actor_ip=ip or "unknown",
            )
        return view

    async def _as_owner(
        self, raw_code: str, user: AccessClaims | str, ip: str | None
    ) -> tuple[RoomView, MemberRow]:
        user_id = user if isinstance(user, str) else user.user_id
        view = await self.view(raw_code, ip=ip)
        owner = await self.store.active_member(
            view.room.id, Identity(user_id=user_id, guest_id=None, display_name="")
        )
        if view.room.owner_id != user_id or owner is None:
            raise errors.Forbidden("only the room's owner may do this", code="owner_only")
        return view, owner

    async def _target(self, view: RoomView, owner: MemberRow, member_id: str) -> MemberRow:
        target = await self.store.member(member_id)
        if target is None or target.room_id != view.room.id:
            raise _member_not_found()
        if target.id == owner.id:
            raise errors.InvalidRequest("you cannot do this to yourself", code="cannot_target_self")
        return target

    async def kick(
        self, raw_code: str, user: AccessClaims, member_id: str, *, reason: str, ip: str
    ) -> None:
        """The owner removes a member; they may join again."""
        await self._remove(raw_code, user, member_id, reason=reason, ip=ip, ban=False)

    async def ban(
        self, raw_code: str, user: AccessClaims, member_id: str, *, reason: str, ip: str
    ) -> None:
        """The owner removes a member and bars their account (or guest identity) from the room."""
        await self._remove(raw_code, user, member_id, reason=reason, ip=ip, ban=True)

    async def _remove(
        self, raw_code: str, user: AccessClaims, member_id: str, *, reason: str, ip: str, ban: bool
    ) -> None:
        view, owner = await self._as_owner(raw_code, user, ip)
        target = await self._target(view, owner, member_id)
        now = self._now()
        ended = await self.store.remove_member(
            view.room.id,
            target.id,
            reason="banned" if ban else "kicked",
            now=now,
            ban_by=user.user_id if ban else None,
            note=reason,
        )
        if ended is None:
            raise _member_not_found()
        await self.events.emit(
            "participant.banned" if ban else "participant.kicked",
            room_id=view.room.id,
            code=view.room.code,
            at=now,
            actor_id=user.user_id,
            actor_ip=ip,
            member_id=target.id,
            data={"reason": reason, "name": target.display_name},
        )

    async def bans(self, raw_code: str, user: AccessClaims, *, ip: str) -> list[BanRow]:
        """The room's bans (owner only)."""
        view, _ = await self._as_owner(raw_code, user, ip)
        return await self.store.bans(view.room.id)

    async def unban(self, raw_code: str, user: AccessClaims, ban_id: str, *, ip: str) -> None:
        """Lift a ban (owner only)."""
        view, _ = await self._as_owner(raw_code, user, ip)
        lifted = await self.store.unban(view.room.id, ban_id)
        if lifted is None:
            raise errors.NotFound("no such ban in this room", code="ban_not_found")
        await self.events.emit(
            "participant.unbanned",
            room_id=view.room.id,
            code=view.room.code,
            at=self._now(),
            actor_id=user.user_id,
            actor_ip=ip,
            data={"banId": ban_id, "name": lifted.display_name},
        )

    async def leave(self, raw_code: str, caller: Caller, *, ip: str) -> None:
        """The caller leaves; an owner's leaving hands the room on, or ends it."""
        view = await self.view(raw_code, ip=ip)
        member = await self.require_member(view, caller)
        now = self._now()
        result = await self.store.leave(view.room.id, member.id, now)
        if result is None:
            raise errors.Forbidden("you are not in this room", code="not_member")
        room = view.room
        actor = member.user_id or member.guest_id
        await self.events.emit(
            "participant.left",
            room_id=room.id,
            code=room.code,
            at=now,
            actor_id=actor,
            actor_ip=ip,
            member_id=member.id,
            data={"kind": "user" if member.user_id else "guest", "name": member.display_name},
        )
        if result.new_owner is not None:
            await self.events.emit(
                "ownership.transferred",
                room_id=room.id,
                code=room.code,
                at=now,
                actor_id=actor,
                actor_ip=ip,
                member_id=result.new_owner.id,
                data={"from": member.id, "reason": "owner_left"},
            )
        if result.ended:
            await self.events.emit(
                "room.deleted",
                room_id=room.id,
                code=room.code,
                at=now,
                actor_id=actor,
                actor_ip=ip,
                data={"reason": "everyone_left"},
            )

    async def transfer(
        self, raw_code: str, user: AccessClaims | str, member_id: str, *, ip: str
    ) -> RoomView:
        """The owner (claims or user id) gives the room to another signed-in member."""
        user_id = user if isinstance(user, str) else user.user_id
        view, owner = await self._as_owner(raw_code, user_id, ip)
        target = await self._target(view, owner, member_id)
        if target.user_id is None:
            raise errors.InvalidRequest("guests cannot own a room", code="guest_cannot_own")
        now = self._now()
        if await self.store.transfer(view.room.id, owner.id, target.id, now) is None:
            raise _member_not_found()
        await self.events.emit(
            "ownership.transferred",
            room_id=view.room.id,
            code=view.room.code,
            at=now,
            actor_id=user_id,
            actor_ip=ip,
            member_id=target.id,
            data={"from": owner.id, "reason": "transfer"},
        )
        return await self.view(view.room.code)

    async def update_settings(
        self, raw_code: str, user: AccessClaims, changes: dict[str, object], *, ip: str
    ) -> RoomView:
        """Change any of name, maxParticipants, password (None removes it), playbackControl,
        handover, buffering (policy, grace_seconds), delegate_id (None clears it) (owner only).
        Unmentioned settings stay as they are.

        The delegate must be a signed-in member of the room other than the owner.
        """
        view, owner = await self._as_owner(raw_code, user, ip)
        room = view.room
        delegate_given = "delegate_id" in changes
        delegate = changes.get("delegate_id")
        if delegate_given and delegate is not None:
            target = await self._target(view, owner, str(delegate))
            if target.user_id is None:
                raise errors.InvalidRequest(
                    "guests cannot take over a room", code="guest_cannot_own"
                )
        handover = changes.get("handover")
        handover_map = handover if isinstance(handover, dict) else {}
        buffering = changes.get("buffering")
        buffering_map = buffering if isinstance(buffering, dict) else {}
        password_given = "password" in changes
        password = changes.get("password")
        try:
            settings = validate_settings(
                name=str(changes.get("name", room.name)),
                owner_username=view.owner_username,
                max_participants=int(str(changes.get("max_participants", room.max_participants))),
                playback_control=str(changes.get("playback_control", room.playback_control)),
                password=str(password) if password_given and password is not None else None,
                handover_enabled=bool(handover_map.get("enabled", room.handover_enabled)),
                handover_order=str(handover_map.get("order", room.handover_order)),
                buffering_policy=str(buffering_map.get("policy", room.buffering_policy)),
                buffering_grace_s=int(
                    str(buffering_map.get("grace_seconds", room.buffering_grace_s))
                ),
                seats_taken=view.seats_taken,
            )
        except SettingsError as exc:
            raise _settings_error(exc) from None
        new_hash = None
        if password_given and password is not None:
            new_hash = await self.hasher.hash(str(password))
        now = self._now()
        updated = await self.store.update_settings(
            room.id,
            settings=settings,
            password_hash=new_hash,
            keep_password=not password_given,
            now=now,
            expires_at=self._expiry(now),
            delegate_member_id=str(delegate) if delegate is not None else None,
            keep_delegate=not delegate_given,
        )
        if updated is SettingsRefused.BELOW_SEATS_TAKEN:
            raise _field_error(
                "maxParticipants",
                "more people are in the room than that limit allows",
                BELOW_SEATS_TAKEN,
            )
        if updated is SettingsRefused.DELEGATE_NOT_MEMBER:
            raise _member_not_found()
        assert isinstance(updated, RoomRow)
        changed = sorted(k for k in changes if k != "password") + (
            ["password"] if password_given else []
        )
        await self.events.emit(
            "room.settings_changed",
            room_id=room.id,
            code=room.code,
            at=now,
            actor_id=user.user_id,
            actor_ip=ip,
            data={
                "changed": changed,
                "name": updated.name,
                "maxParticipants": updated.max_participants,
                "playbackControl": updated.playback_control.value,
                "buffering": {
                    "policy": updated.buffering_policy.value,
                    "graceSeconds": updated.buffering_grace_s,
                },
                "hasPassword": updated.password_hash is not None,
                "delegateId": updated.delegate_member_id,
            },
        )
        return await self.view(room.code)

    async def set_control(
        self, raw_code: str, user: AccessClaims, member_id: str, *, granted: bool, ip: str
    ) -> None:
        """Grant or revoke a member's control (used in ``selected`` mode); owner only."""
        view, owner = await self._as_owner(raw_code, user, ip)
        target = await self._target(view, owner, member_id)
        now = self._now()
        changed = await self.store.set_grant(
            view.room.id, target.id, granted=granted, by=user.user_id, now=now
        )
        if changed:
            await self.events.emit(
                "permission.granted" if granted else "permission.revoked",
                room_id=view.room.id,
                code=view.room.code,
                at=now,
                actor_id=user.user_id,
                actor_ip=ip,
                member_id=target.id,
                data={"permission": "playback"},
            )

    async def rooms_of(self, user: AccessClaims) -> list[tuple[StayRow, str, int]]:
        """The user's rooms (live ones first) and room history, with owner name and seats."""
        stays = await self.store.rooms_of(user.user_id, self._now())
        found = []
        for stay in stays:
            found.append(
                (
                    stay,
                    await self.store.owner_name(stay.room),
                    await self.store.seats_taken(stay.room.id),
                )
            )
        return found

    async def invite(
        self, raw_code: str, user: AccessClaims, to_user_id: str, *, ip: str
    ) -> tuple[InviteView, bool]:
        """A member asks a friend into the room; True when the invite is new.

        When one is already pending for that friend in this room (from anyone), that one is the
        answer. Only friends (auth's ``AreFriends``) may be invited, 30 attempts per user per hour.
        """
        friend = to_user_id.strip()
        if not friend:
            raise _field_error("userId", "name the friend to invite")
        view = await self.view(raw_code, ip=ip)
        room = view.room
        inviter = await self.require_member(view, Caller(user=user))
        if friend == user.user_id:
            raise errors.InvalidRequest("you cannot invite yourself", code="cannot_target_self")
        if await self.store.active_member(
            room.id, Identity(user_id=friend, guest_id=None, display_name="")
        ):
            raise _already_member()
        decision = await self.limiter.hit(
            f"room-invite:user:{user.user_id}", self.policy.invites_per_user_per_hour, 3600
        )
        decision.raise_if_denied("you have sent many invites lately; try again later")
        if not await self.auth.are_friends(user.user_id, friend):
            raise errors.Forbidden("you can only invite your friends", code="not_friends")
        now = self._now()
        outcome, invite = await self.store.create_invite(
            room.id,
            from_user_id=user.user_id,
            from_username=user.username or inviter.display_name,
            to_user_id=friend,
            now=now,
        )
        if outcome is InviteOutcome.GONE:
            await self.view(room.code)
            raise room_gone(RoomGone.ENDED)
        if outcome is InviteOutcome.ALREADY_MEMBER:
            raise _already_member()
        assert invite is not None
        created = outcome is InviteOutcome.CREATED
        if created:
            await self.events.emit(
                "invite.sent",
                room_id=room.id,
                code=room.code,
                at=now,
                actor_id=user.user_id,
                actor_ip=ip,
                member_id=inviter.id,
                key=invite.id,
                data={"inviteId": invite.id, "toUserId": friend},
            )
        return InviteView(invite, await self.view(room.code)), created

    async def invites_for(self, user: AccessClaims) -> list[InviteView]:
        """Pending invites to the user, for live rooms they are not in, newest first (max 50)."""
        found = []
        for invite, room in await self.store.pending_invites(user.user_id, self._now()):
            seats = await self.store.seats_taken(room.id)
            found.append(
                InviteView(invite, RoomView(room, await self.store.owner_name(room), seats))
            )
        return found

    async def dismiss_invite(self, user: AccessClaims, invite_id: str) -> None:
        """The invitee dismisses a pending invite; 404 ``invite_not_found`` otherwise."""
        if not await self.store.dismiss_invite(invite_id, user.user_id, self._now()):
            raise errors.NotFound("no such invite for you", code="invite_not_found")
