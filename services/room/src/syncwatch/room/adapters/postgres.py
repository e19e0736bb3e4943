"""PostgreSQL store of rooms, members and invites (schema ``room``, migrations ``0002_rooms.sql``,
``0003_removals_and_invites.sql``, ``0004_buffering_policy.sql``).

Capacity is enforced here, in one transaction per join: the room row is locked (``FOR UPDATE``), so
concurrent joins on one room run one after another and each counts the active members it sees; a
full room never gains a member. Changes act on live rooms only; ``room_by_code`` also finds a gone
room, so the caller can say whether it expired or ended.
"""

# ruff: noqa: S608 - the f-strings only splice the constant column lists and _LIVE; values are bound

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from syncwatch.core.postgres import PostgresDependency
from syncwatch.room.domain.rooms import (
    CODE_ATTEMPTS,
    BufferingPolicy,
    Candidate,
    Handover,
    HandoverOrder,
    PlaybackControl,
    Role,
    RoomSettings,
    new_id,
    new_invite_code,
    next_owner,
)


@dataclass(frozen=True)
class RoomRow:
    """A room as stored (the password hash never leaves the service)."""

    id: str
    code: str
    name: str
    owner_id: str
    max_participants: int
    password_hash: str | None
    playback_control: PlaybackControl
    handover_enabled: bool
    handover_order: HandoverOrder
    delegate_member_id: str | None
    buffering_policy: BufferingPolicy
    buffering_grace_s: int
    created_at: dt.datetime
    expires_at: dt.datetime
    deleted_at: dt.datetime | None = None


@dataclass(frozen=True)
class MemberRow:
    """One stay of a user or a guest in a room."""

    id: str
    room_id: str
    user_id: str | None
    guest_id: str | None
    display_name: str
    role: Role
    joined_at: dt.datetime


@dataclass(frozen=True)
class Identity:
    """Who is joining: a signed-in user or a guest identity (exactly one of the two)."""

    user_id: str | None
    guest_id: str | None
    display_name: str

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.guest_id is None):
            raise ValueError("an identity is a user or a guest, not both or neither")


class JoinOutcome(enum.Enum):
    """How a join ended."""

    JOINED = "joined"
    ALREADY_MEMBER = "already_member"
    FULL = "full"
    BANNED = "banned"
    GONE = "gone"


@dataclass(frozen=True)
class JoinResult:
    """The outcome and, when a member, the stay; for ``BANNED`` the owner's reason."""

    outcome: JoinOutcome
    member: MemberRow | None = None
    ban_reason: str = ""


@dataclass(frozen=True)
class Removal:
    """How someone's latest stay ended when the owner removed them (``kicked`` or ``banned``)."""

    reason: str
    note: str


class SettingsRefused(enum.Enum):
    """Why new settings were not stored."""

    BELOW_SEATS_TAKEN = "below_seats_taken"
    DELEGATE_NOT_MEMBER = "delegate_not_member"


@dataclass(frozen=True)
class InviteRow:
    """A pending invite of a friend into a room."""

    id: str
    room_id: str
    from_user_id: str
    from_username: str
    to_user_id: str
    created_at: dt.datetime


class InviteOutcome(enum.Enum):
    """How asking a friend in ended."""

    CREATED = "created"
    EXISTING = "existing"  # one was already pending for them in this room (from anyone)
    ALREADY_MEMBER = "already_member"
    GONE = "gone"


@dataclass(frozen=True)
class BanRow:
    """A ban of a user or a guest identity from a room."""

    id: str
    user_id: str | None
    guest_id: str | None
    display_name: str
    reason: str
    created_at: dt.datetime


@dataclass(frozen=True)
class StayRow:
    """One of a user's stays in a room, for their room list and history."""

    room: RoomRow
    role: Role
    joined_at: dt.datetime
    left_at: dt.datetime | None
    live: bool


@dataclass(frozen=True)
class LeaveResult:
    """Who left, who owns the room now (when ownership moved), whether the room ended."""

    left: MemberRow
    new_owner: MemberRow | None
    ended: bool


_ROOM_COLUMNS = (
    "id, code, name, owner_id, max_participants, password_hash, playback_control,"
    " handover_enabled, handover_order, delegate_member_id, buffering_policy, buffering_grace_s,"
    " created_at, expires_at, deleted_at"
)
_MEMBER_COLUMNS = "id, room_id, user_id, guest_id, display_name, role, joined_at"
_INVITE_COLUMNS = "id, room_id, from_user_id, from_username, to_user_id, created_at"
_LIVE = "deleted_at IS NULL AND expires_at > $2"


def _room(row: asyncpg.Record) -> RoomRow:
    return RoomRow(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        owner_id=row["owner_id"],
        max_participants=row["max_participants"],
        password_hash=row["password_hash"],
        playback_control=PlaybackControl(row["playback_control"]),
        handover_enabled=row["handover_enabled"],
        handover_order=HandoverOrder(row["handover_order"]),
        delegate_member_id=row["delegate_member_id"],
        buffering_policy=BufferingPolicy(row["buffering_policy"]),
        buffering_grace_s=row["buffering_grace_s"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        deleted_at=row["deleted_at"],
    )


def _member(row: asyncpg.Record) -> MemberRow:
    return MemberRow(
        id=row["id"],
        room_id=row["room_id"],
        user_id=row["user_id"],
        guest_id=row["guest_id"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        joined_at=row["joined_at"],
    )


class RoomStore:
    """Rooms and members in PostgreSQL."""

    def __init__(
        self, postgres: PostgresDependency, *, new_code: Callable[[], str] = new_invite_code
    ) -> None:
        self._pg = postgres
        self._new_code = new_code

    async def create(
        self,
        *,
        settings: RoomSettings,
        password_hash: str | None,
        owner: Identity,
        now: dt.datetime,
        expires_at: dt.datetime,
    ) -> tuple[RoomRow, MemberRow]:
        """A new room with a fresh unique code, its owner as the first member.

        A code collision (the unique constraint) is retried with a new code, ``CODE_ATTEMPTS`` times.
        """
        if owner.user_id is None:
            raise ValueError("guests cannot own a room")
        for _ in range(CODE_ATTEMPTS):
            code = self._new_code()
            try:
                async with self._pg.pool.acquire() as conn, conn.transaction():
                    room_row = await conn.fetchrow(
                        f"INSERT INTO rooms (id, code, name, owner_id, max_participants,"
                        f" password_hash, playback_control, handover_enabled, handover_order,"
                        f" buffering_policy, buffering_grace_s, created_at, updated_at, expires_at)"
                        f" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)"
                        f" RETURNING {_ROOM_COLUMNS}",
                        new_id("rm"),
                        code,
                        settings.name,
                        owner.user_id,
                        settings.max_participants,
                        password_hash,
                        settings.playback_control.value,
                        settings.handover.enabled,
                        settings.handover.order.value,
                        settings.buffering.policy.value,
                        settings.buffering.grace_s,
                        now,
                        expires_at,
                    )
                    assert room_row is not None
                    member_row = await conn.fetchrow(
                        f"INSERT INTO members (id, room_id, user_id, display_name, role, joined_at)"
                        f" VALUES ($1, $2, $3, $4, 'owner', $5) RETURNING {_MEMBER_COLUMNS}",
                        new_id("m"),
                        room_row["id"],
                        owner.user_id,
                        owner.display_name,
                        now,
                    )
                    assert member_row is not None
                    return _room(room_row), _member(member_row)
            except asyncpg.UniqueViolationError as exc:
                if exc.constraint_name != "rooms_code_key":
                    raise
        raise RuntimeError("no free invite code after several attempts")

    async def room_by_code(self, code: str) -> RoomRow | None:
        """The room with ``code`` whether live or gone; None for a code that never was a room."""
        row = await self._pg.pool.fetchrow(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE code = $1", code
        )
        return _room(row) if row else None

    async def room_by_id(self, room_id: str) -> RoomRow | None:
        """The room with ``room_id`` whether live or gone."""
        row = await self._pg.pool.fetchrow(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE id = $1", room_id
        )
        return _room(row) if row else None

    async def extend(
        self, room_id: str, expires_at: dt.datetime, now: dt.datetime
    ) -> dt.datetime | None:
        """Move a live room's expiry forward to ``expires_at`` (never back); its new expiry, or
        None when it is gone."""
        value: dt.datetime | None = await self._pg.pool.fetchval(
            "UPDATE rooms SET expires_at = greatest(expires_at, $2)"
            " WHERE id = $1 AND deleted_at IS NULL AND expires_at > $3 RETURNING expires_at",
            room_id,
            expires_at,
            now,
        )
        return value

    async def live_room(self, code: str, now: dt.datetime) -> RoomRow | None:
        """The room with ``code`` unless it is unknown, deleted or expired."""
        row = await self._pg.pool.fetchrow(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE code = $1 AND {_LIVE}", code, now
        )
        return _room(row) if row else None

    async def seats_taken(self, room_id: str) -> int:
        """How many members are in the room now."""
        count = await self._pg.pool.fetchval(
            "SELECT count(*) FROM members WHERE room_id = $1 AND left_at IS NULL", room_id
        )
        return int(count or 0)

    async def active_members(self, room_id: str) -> list[MemberRow]:
        """The members in the room now, in join order."""
        rows = await self._pg.pool.fetch(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE room_id = $1 AND left_at IS NULL"
            " ORDER BY seq",
            room_id,
        )
        return [_member(r) for r in rows]

    async def join(
        self,
        code: str,
        who: Identity,
        *,
        now: dt.datetime,
        expires_at: dt.datetime,
    ) -> JoinResult:
        """Make ``who`` a member of the room with ``code``, within its capacity, in one transaction.

        Idempotent for a current member. A banned identity and a full room are refused; a join that
        succeeds (or repeats) moves the room's expiry forward to ``expires_at``.
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            room = await conn.fetchrow(
                f"SELECT id, max_participants FROM rooms WHERE code = $1 AND {_LIVE} FOR UPDATE",
                code,
                now,
            )
            if room is None:
                return JoinResult(JoinOutcome.GONE)
            room_id = room["id"]
            ban_reason = await conn.fetchval(
                "SELECT reason FROM bans WHERE room_id = $1 AND (user_id = $2 OR guest_id = $3)"
                " LIMIT 1",
                room_id,
                who.user_id,
                who.guest_id,
            )
            if ban_reason is not None:
                return JoinResult(JoinOutcome.BANNED, ban_reason=ban_reason)
            existing = await conn.fetchrow(
                f"SELECT {_MEMBER_COLUMNS} FROM members WHERE room_id = $1 AND left_at IS NULL"
                " AND (user_id = $2 OR guest_id = $3)",
                room_id,
                who.user_id,
                who.guest_id,
            )
            if existing is not None:
                outcome, member = JoinOutcome.ALREADY_MEMBER, _member(existing)
            else:
                taken = await conn.fetchval(
                    "SELECT count(*) FROM members WHERE room_id = $1 AND left_at IS NULL", room_id
                )
                if taken >= room["max_participants"]:
                    return JoinResult(JoinOutcome.FULL)
                row = await conn.fetchrow(
                    f"INSERT INTO members (id, room_id, user_id, guest_id, display_name, role,"
                    f" joined_at) VALUES ($1, $2, $3, $4, $5, 'member', $6)"
                    f" RETURNING {_MEMBER_COLUMNS}",
                    new_id("m"),
                    room_id,
                    who.user_id,
                    who.guest_id,
                    who.display_name,
                    now,
                )
                assert row is not None
                outcome, member = JoinOutcome.JOINED, _member(row)
            await conn.execute(
                "UPDATE rooms SET expires_at = greatest(expires_at, $2) WHERE id = $1",
                room_id,
                expires_at,
            )
            if who.user_id is not None:
                # Being in the room answers every invite to it.
                await conn.execute(
                    "UPDATE invites SET settled_at = $3, settled_reason = 'joined'"
                    " WHERE room_id = $1 AND to_user_id = $2 AND settled_at IS NULL",
                    room_id,
                    who.user_id,
                    now,
                )
            return JoinResult(outcome, member)

    async def active_member(self, room_id: str, who: Identity) -> MemberRow | None:
        """``who``'s current stay in the room, if any."""
        row = await self._pg.pool.fetchrow(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE room_id = $1 AND left_at IS NULL"
            " AND (user_id = $2 OR guest_id = $3)",
            room_id,
            who.user_id,
            who.guest_id,
        )
        return _member(row) if row else None

    async def last_removal(self, room_id: str, who: Identity) -> Removal | None:
        """How ``who``'s latest stay in the room ended, when the owner kicked or banned them.

        None when they never were in the room, are in it now, or last left some other way.
        """
        row = await self._pg.pool.fetchrow(
            "SELECT left_reason, left_note FROM members WHERE room_id = $1"
            " AND (user_id = $2 OR guest_id = $3) ORDER BY seq DESC LIMIT 1",
            room_id,
            who.user_id,
            who.guest_id,
        )
        if row is None or row["left_reason"] not in ("kicked", "banned"):
            return None
        return Removal(reason=row["left_reason"], note=row["left_note"])

    async def member(self, member_id: str) -> MemberRow | None:
        """A current member by id (None once they have left)."""
        row = await self._pg.pool.fetchrow(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE id = $1 AND left_at IS NULL", member_id
        )
        return _member(row) if row else None

    async def owner_name(self, room: RoomRow) -> str:
        """The owner's username as it was when they took the room."""
        name = await self._pg.pool.fetchval(
            "SELECT display_name FROM members WHERE room_id = $1 AND user_id = $2"
            " ORDER BY seq DESC LIMIT 1",
            room.id,
            room.owner_id,
        )
        return str(name or "")

    async def delete(self, room_id: str, now: dt.datetime) -> bool:
        """End the room: it reads as gone from now on and every member is out. False if gone already."""
        async with self._pg.pool.acquire() as conn, conn.transaction():
            done = await conn.execute(
                "UPDATE rooms SET deleted_at = $2, updated_at = $2 WHERE id = $1"
                " AND deleted_at IS NULL",
                room_id,
                now,
            )
            await conn.execute(
                "UPDATE members SET left_at = $2, left_reason = 'room_deleted'"
                " WHERE room_id = $1 AND left_at IS NULL",
                room_id,
                now,
            )
        return bool(done.endswith(" 1"))

    async def remove_member(
        self,
        room_id: str,
        member_id: str,
        *,
        reason: str,
        now: dt.datetime,
        ban_by: str | None = None,
        note: str = "",
    ) -> MemberRow | None:
        """End a member's stay (``left``, ``kicked``, ``banned``); with ``ban_by`` also ban them.

        ``note`` is the owner's reason, kept on the stay (and the ban) to tell the member why.
        Returns the stay that ended, or None when they were not in the room. Their control grant
        and their being the handover delegate end with the stay.
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE", room_id)
            row = await conn.fetchrow(
                f"UPDATE members SET left_at = $3, left_reason = $4, left_note = $5 WHERE id = $2"
                f" AND room_id = $1 AND left_at IS NULL RETURNING {_MEMBER_COLUMNS}",
                room_id,
                member_id,
                now,
                reason,
                note,
            )
            if row is None:
                return None
            await self._end_roles(conn, room_id, member_id)
            if ban_by is not None:
                await conn.execute(
                    "INSERT INTO bans (id, room_id, user_id, guest_id, display_name, reason,"
                    " banned_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT DO NOTHING",
                    new_id("b"),
                    room_id,
                    row["user_id"],
                    row["guest_id"],
                    row["display_name"],
                    note,
                    ban_by,
                    now,
                )
            return _member(row)

    @staticmethod
    async def _end_roles(
        conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy, room_id: str, member_id: str
    ) -> None:
        """A stay ended: its control grant goes, and it is no longer the handover delegate."""
        await conn.execute(
            "DELETE FROM control_grants WHERE room_id = $1 AND member_id = $2", room_id, member_id
        )
        await conn.execute(
            "UPDATE rooms SET delegate_member_id = NULL WHERE id = $1 AND delegate_member_id = $2",
            room_id,
            member_id,
        )

    async def bans(self, room_id: str) -> list[BanRow]:
        """The room's bans, newest first."""
        rows = await self._pg.pool.fetch(
            "SELECT id, user_id, guest_id, display_name, reason, created_at FROM bans"
            " WHERE room_id = $1 ORDER BY created_at DESC, id",
            room_id,
        )
        return [BanRow(**dict(r)) for r in rows]

    async def unban(self, room_id: str, ban_id: str) -> BanRow | None:
        """Lift a ban; None when there is no such ban in this room."""
        row = await self._pg.pool.fetchrow(
            "DELETE FROM bans WHERE room_id = $1 AND id = $2"
            " RETURNING id, user_id, guest_id, display_name, reason, created_at",
            room_id,
            ban_id,
        )
        return BanRow(**dict(row)) if row else None

    async def leave(self, room_id: str, member_id: str, now: dt.datetime) -> LeaveResult | None:
        """A member leaves. An owner's leaving hands the room to the next signed-in member (the
        delegate first when the handover order says so); with nobody to take it the room ends.

        None when they were not in the room.
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            room = await conn.fetchrow(
                f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE id = $1 FOR UPDATE", room_id
            )
            row = await conn.fetchrow(
                f"UPDATE members SET left_at = $3, left_reason = 'left' WHERE id = $2"
                f" AND room_id = $1 AND left_at IS NULL RETURNING {_MEMBER_COLUMNS}",
                room_id,
                member_id,
                now,
            )
            if room is None or row is None:
                return None
            await self._end_roles(conn, room_id, member_id)
            left = _member(row)
            if left.role is not Role.OWNER:
                return LeaveResult(left, None, ended=False)
            others = await conn.fetch(
                "SELECT id, user_id FROM members WHERE room_id = $1 AND left_at IS NULL"
                " ORDER BY seq",
                room_id,
            )
            successor = next_owner(
                [Candidate(r["id"], r["user_id"] is not None) for r in others],
                handover=Handover(enabled=True, order=HandoverOrder(room["handover_order"])),
                delegate_member_id=room["delegate_member_id"],
            )
            if successor is None:
                await conn.execute(
                    "UPDATE rooms SET deleted_at = $2, updated_at = $2 WHERE id = $1", room_id, now
                )
                await conn.execute(
                    "UPDATE members SET left_at = $2, left_reason = 'room_deleted'"
                    " WHERE room_id = $1 AND left_at IS NULL",
                    room_id,
                    now,
                )
                return LeaveResult(left, None, ended=True)
            new_owner = await self._make_owner(conn, room_id, successor, now)
            return LeaveResult(left, new_owner, ended=False)

    async def transfer(
        self, room_id: str, from_member_id: str, to_member_id: str, now: dt.datetime
    ) -> MemberRow | None:
        """Give the room to another current, signed-in member; None when they cannot take it."""
        async with self._pg.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE", room_id)
            target = await conn.fetchrow(
                "SELECT user_id FROM members WHERE id = $1 AND room_id = $2 AND left_at IS NULL",
                to_member_id,
                room_id,
            )
            if target is None or target["user_id"] is None:
                return None
            await conn.execute(
                "UPDATE members SET role = 'member' WHERE id = $1 AND room_id = $2",
                from_member_id,
                room_id,
            )
            return await self._make_owner(conn, room_id, to_member_id, now)

    async def _make_owner(
        self,
        conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
        room_id: str,
        member_id: str,
        now: dt.datetime,
    ) -> MemberRow:
        row = await conn.fetchrow(
            f"UPDATE members SET role = 'owner' WHERE id = $1 RETURNING {_MEMBER_COLUMNS}",
            member_id,
        )
        assert row is not None
        await conn.execute(
            "UPDATE rooms SET owner_id = $2, updated_at = $3,"
            " delegate_member_id = NULLIF(delegate_member_id, $4) WHERE id = $1",
            room_id,
            row["user_id"],
            now,
            member_id,
        )
        return _member(row)

    async def update_settings(
        self,
        room_id: str,
        *,
        settings: RoomSettings,
        password_hash: str | None,
        keep_password: bool,
        now: dt.datetime,
        expires_at: dt.datetime,
        delegate_member_id: str | None = None,
        keep_delegate: bool = True,
    ) -> RoomRow | SettingsRefused:
        """Store new settings, checked under the room lock against the members present now.

        Unless ``keep_delegate``, the handover delegate becomes ``delegate_member_id`` (None clears
        it), who must be a current signed-in member other than the owner. The room is unchanged
        when a check fails.
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE", room_id)
            taken = await conn.fetchval(
                "SELECT count(*) FROM members WHERE room_id = $1 AND left_at IS NULL", room_id
            )
            if settings.max_participants < taken:
                return SettingsRefused.BELOW_SEATS_TAKEN
            if not keep_delegate and delegate_member_id is not None:
                eligible = await conn.fetchval(
                    "SELECT EXISTS (SELECT 1 FROM members WHERE id = $1 AND room_id = $2"
                    " AND left_at IS NULL AND user_id IS NOT NULL AND role = 'member')",
                    delegate_member_id,
                    room_id,
                )
                if not eligible:
                    return SettingsRefused.DELEGATE_NOT_MEMBER
            row = await conn.fetchrow(
                f"UPDATE rooms SET name = $2, max_participants = $3, playback_control = $4,"
                f" handover_enabled = $5, handover_order = $6,"
                f" password_hash = CASE WHEN $7 THEN password_hash ELSE $8 END,"
                f" updated_at = $9, expires_at = greatest(expires_at, $10),"
                f" delegate_member_id = CASE WHEN $11 THEN delegate_member_id ELSE $12 END,"
                f" buffering_policy = $13, buffering_grace_s = $14"
                f" WHERE id = $1 RETURNING {_ROOM_COLUMNS}",
                room_id,
                settings.name,
                settings.max_participants,
                settings.playback_control.value,
                settings.handover.enabled,
                settings.handover.order.value,
                keep_password,
                password_hash,
                now,
                expires_at,
                keep_delegate,
                delegate_member_id,
                settings.buffering.policy.value,
                settings.buffering.grace_s,
            )
            assert row is not None  # locked above, so still there
            return _room(row)

    async def set_grant(
        self, room_id: str, member_id: str, *, granted: bool, by: str, now: dt.datetime
    ) -> bool:
        """Grant or revoke control; True when something changed."""
        if granted:
            done = await self._pg.pool.execute(
                "INSERT INTO control_grants (room_id, member_id, granted_by, granted_at)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                room_id,
                member_id,
                by,
                now,
            )
        else:
            done = await self._pg.pool.execute(
                "DELETE FROM control_grants WHERE room_id = $1 AND member_id = $2",
                room_id,
                member_id,
            )
        return not done.endswith(" 0")

    async def controllers(self, room_id: str) -> frozenset[str]:
        """Members granted control (selected mode)."""
        rows = await self._pg.pool.fetch(
            "SELECT member_id FROM control_grants WHERE room_id = $1", room_id
        )
        return frozenset(r["member_id"] for r in rows)

    async def rooms_of(self, user_id: str, now: dt.datetime, limit: int = 50) -> list[StayRow]:
        """A user's stays, live rooms first, then history, newest first."""
        rows = await self._pg.pool.fetch(
            f"SELECT DISTINCT ON (r.id) m.role, m.joined_at, m.left_at,"
            f" (r.deleted_at IS NULL AND r.expires_at > $2) AS live,"
            f" {', '.join('r.' + c.strip() for c in _ROOM_COLUMNS.split(','))}"
            f" FROM members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = $1"
            f" ORDER BY r.id, m.seq DESC",
            user_id,
            now,
        )
        stays = [
            StayRow(
                room=_room(r),
                role=Role(r["role"]),
                joined_at=r["joined_at"],
                left_at=r["left_at"],
                live=r["live"],
            )
            for r in rows
        ]
        stays.sort(key=lambda s: (not (s.live and s.left_at is None), -s.joined_at.timestamp()))
        return stays[:limit]

    async def create_invite(
        self,
        room_id: str,
        *,
        from_user_id: str,
        from_username: str,
        to_user_id: str,
        now: dt.datetime,
    ) -> tuple[InviteOutcome, InviteRow | None]:
        """Invite ``to_user_id`` into the live room, unless they are in it already.

        At most one invite is pending per friend and room: when one is (from anyone), that one is
        the answer (``EXISTING``).
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            # The room lock orders this against joins, which settle invites.
            live = await conn.fetchval(
                f"SELECT id FROM rooms WHERE id = $1 AND {_LIVE} FOR UPDATE", room_id, now
            )
            if live is None:
                return InviteOutcome.GONE, None
            present = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM members WHERE room_id = $1 AND user_id = $2"
                " AND left_at IS NULL)",
                room_id,
                to_user_id,
            )
            if present:
                return InviteOutcome.ALREADY_MEMBER, None
            row = await conn.fetchrow(
                f"INSERT INTO invites (id, room_id, from_user_id, from_username, to_user_id,"
                f" created_at) VALUES ($1, $2, $3, $4, $5, $6)"
                f" ON CONFLICT (room_id, to_user_id) WHERE settled_at IS NULL DO NOTHING"
                f" RETURNING {_INVITE_COLUMNS}",
                new_id("inv"),
                room_id,
                from_user_id,
                from_username,
                to_user_id,
                now,
            )
            if row is not None:
                return InviteOutcome.CREATED, InviteRow(**dict(row))
            row = await conn.fetchrow(
                f"SELECT {_INVITE_COLUMNS} FROM invites WHERE room_id = $1 AND to_user_id = $2"
                f" AND settled_at IS NULL",
                room_id,
                to_user_id,
            )
            assert row is not None  # the conflict was this pending invite; the lock keeps it
            return InviteOutcome.EXISTING, InviteRow(**dict(row))

    async def pending_invites(
        self, user_id: str, now: dt.datetime, limit: int = 50
    ) -> list[tuple[InviteRow, RoomRow]]:
        """Invites to ``user_id`` still pending, for live rooms they are not in, newest first."""
        invite_cols = ", ".join(
            f"i.{c.strip()} AS i_{c.strip()}" for c in _INVITE_COLUMNS.split(",")
        )
        room_cols = ", ".join("r." + c.strip() for c in _ROOM_COLUMNS.split(","))
        rows = await self._pg.pool.fetch(
            f"SELECT {invite_cols}, {room_cols} FROM invites i JOIN rooms r ON r.id = i.room_id"
            f" WHERE i.to_user_id = $1 AND i.settled_at IS NULL"
            f" AND r.deleted_at IS NULL AND r.expires_at > $2"
            f" AND NOT EXISTS (SELECT 1 FROM members m WHERE m.room_id = r.id"
            f" AND m.user_id = $1 AND m.left_at IS NULL)"
            f" ORDER BY i.created_at DESC, i.id LIMIT $3",
            user_id,
            now,
            limit,
        )
        return [
            (
                InviteRow(**{c.strip(): r[f"i_{c.strip()}"] for c in _INVITE_COLUMNS.split(",")}),
                _room(r),
            )
            for r in rows
        ]

    async def dismiss_invite(self, invite_id: str, user_id: str, now: dt.datetime) -> bool:
        """The invitee dismisses a pending invite; False when there is no such invite to them."""
        done = await self._pg.pool.execute(
            "UPDATE invites SET settled_at = $3, settled_reason = 'dismissed'"
            " WHERE id = $1 AND to_user_id = $2 AND settled_at IS NULL",
            invite_id,
            user_id,
            now,
        )
        return not done.endswith(" 0")
