"""PostgreSQL store of rooms and members (schema ``room``, migrations ``0002_rooms.sql``).

Capacity is enforced here, in one transaction per join: the room row is locked (``FOR UPDATE``), so
concurrent joins on one room run one after another and each counts the active members it sees; a
full room never gains a member. Expired or deleted rooms are never returned: they read as gone.
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
    """A live room as stored (the password hash never leaves the service)."""

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
    created_at: dt.datetime
    expires_at: dt.datetime


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
    """The outcome and, when a member, the stay."""

    outcome: JoinOutcome
    member: MemberRow | None = None


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
    " handover_enabled, handover_order, delegate_member_id, created_at, expires_at"
)
_MEMBER_COLUMNS = "id, room_id, user_id, guest_id, display_name, role, joined_at"
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
        created_at=row["created_at"],
        expires_at=row["expires_at"],
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
                        f" created_at, updated_at, expires_at)"
                        f" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)"
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
            banned = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM bans WHERE room_id = $1"
                " AND (user_id = $2 OR guest_id = $3))",
                room_id,
                who.user_id,
                who.guest_id,
            )
            if banned:
                return JoinResult(JoinOutcome.BANNED)
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
        ban_reason: str = "",
    ) -> MemberRow | None:
        """End a member's stay (``left``, ``kicked``, ``banned``); with ``ban_by`` also ban them.

        Returns the stay that ended, or None when they were not in the room. Their control grant
        ends with the stay.
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE", room_id)
            row = await conn.fetchrow(
                f"UPDATE members SET left_at = $3, left_reason = $4 WHERE id = $2 AND room_id = $1"
                f" AND left_at IS NULL RETURNING {_MEMBER_COLUMNS}",
                room_id,
                member_id,
                now,
                reason,
            )
            if row is None:
                return None
            await conn.execute(
                "DELETE FROM control_grants WHERE room_id = $1 AND member_id = $2",
                room_id,
                member_id,
            )
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
                    ban_reason,
                    ban_by,
                    now,
                )
            return _member(row)

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
            await conn.execute(
                "DELETE FROM control_grants WHERE room_id = $1 AND member_id = $2",
                room_id,
                member_id,
            )
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
    ) -> RoomRow | None:
        """Store new settings (capacity checked against the seats taken under the room lock).

        None when the new limit is below the seats taken now.
        """
        async with self._pg.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE", room_id)
            taken = await conn.fetchval(
                "SELECT count(*) FROM members WHERE room_id = $1 AND left_at IS NULL", room_id
            )
            if settings.max_participants < taken:
                return None
            row = await conn.fetchrow(
                f"UPDATE rooms SET name = $2, max_participants = $3, playback_control = $4,"
                f" handover_enabled = $5, handover_order = $6,"
                f" password_hash = CASE WHEN $7 THEN password_hash ELSE $8 END,"
                f" updated_at = $9, expires_at = greatest(expires_at, $10)"
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
            )
            return _room(row) if row else None

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

    async def live_room_by_id(self, room_id: str, now: dt.datetime) -> RoomRow | None:
        """The room with ``room_id`` unless it is unknown, deleted or expired."""
        row = await self._pg.pool.fetchrow(
            f"SELECT {_ROOM_COLUMNS} FROM rooms WHERE id = $1 AND {_LIVE}", room_id, now
        )
        return _room(row) if row else None
