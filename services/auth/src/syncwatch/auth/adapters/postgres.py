"""PostgreSQL access of the auth service (schema ``auth``): users, sessions, refresh tokens,
friendships and blocks, and the audit log.

Every method of ``AccountsTx`` runs on the one connection of a transaction opened by
``Accounts.transaction()``, so a use case decides and writes atomically.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec

from syncwatch.auth.domain.friends import Pair
from syncwatch.auth.domain.sessions import PresentedToken
from syncwatch.core import errors
from syncwatch.core.audit import AuditEvent, retention_class
from syncwatch.core.postgres import PostgresDependency

_USER_COLUMNS = "id, email, username, password_hash, created_at"


def at(seconds: float) -> datetime:
    """A Unix time as the timestamptz the tables hold."""
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class UserRow:
    """A user as stored."""

    id: str
    email: str
    username: str
    password_hash: str
    created_at: datetime

    @classmethod
    def of(cls, record: Any) -> UserRow:
        """From an asyncpg record with the user columns."""
        return cls(
            id=record["id"],
            email=record["email"],
            username=record["username"],
            password_hash=record["password_hash"],
            created_at=record["created_at"],
        )


@dataclass(frozen=True)
class RefreshTokenRow:
    """A presented refresh token with what the refresh decision and its answer need."""

    presented: PresentedToken
    session_id: str
    user: UserRow
    sealed_successor: bytes | None
    session_expires_at: datetime


class AccountsTx:
    """Queries inside one transaction."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def create_user(
        self, *, user_id: str, email: str, username: str, password_hash: str, now: float
    ) -> UserRow:
        """Insert a user; ``Conflict`` ``email_taken`` / ``username_taken`` when either is in use."""
        try:
            record = await self.conn.fetchrow(
                f"""INSERT INTO users (id, email, username, password_hash, created_at, updated_at,
                                       password_changed_at)
                    VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING {_USER_COLUMNS}""",  # noqa: S608 - constant columns
                user_id,
                email,
                username,
                password_hash,
                at(now),
            )
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name == "users_email_key":
                raise errors.Conflict(
                    "an account with this email exists",
                    code="email_taken",
                    extra={"errors": [{"field": "email", "message": "already in use"}]},
                ) from None
            raise errors.Conflict(
                "this username is taken",
                code="username_taken",
                extra={"errors": [{"field": "username", "message": "already taken"}]},
            ) from None
        return UserRow.of(record)

    async def user_for_update(self, user_id: str) -> UserRow | None:
        """The user, locked until the transaction ends."""
        record = await self.conn.fetchrow(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE",  # noqa: S608 - constant columns
            user_id,
        )
        return UserRow.of(record) if record else None

    async def set_password_hash(
        self, user_id: str, password_hash: str, now: float, *, changed: bool
    ) -> None:
        """Store a new hash; ``changed`` for a new password (not a rehash of the same one)."""
        await self.conn.execute(
            """UPDATE users SET password_hash = $2, updated_at = $3,
                   password_changed_at = CASE WHEN $4 THEN $3 ELSE password_changed_at END
               WHERE id = $1""",
            user_id,
            password_hash,
            at(now),
            changed,
        )

    async def start_session(
        self,
        *,
        session_id: str,
        user_id: str,
        token_hash: bytes,
        now: float,
        ttl_s: float,
        ip: str,
        user_agent: str,
    ) -> datetime:
        """A new session with its first refresh token; returns when it expires."""
        expires = at(now + ttl_s)
        await self.conn.execute(
            """INSERT INTO sessions (id, user_id, created_at, expires_at, created_ip, user_agent)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            session_id,
            user_id,
            at(now),
            expires,
            ip,
            user_agent[:256],
        )
        await self.conn.execute(
            "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES ($1, $2, $3)",
            token_hash,
            session_id,
            at(now),
        )
        return expires

    async def presented_token(self, token_hash: bytes) -> RefreshTokenRow | None:
        """The token, its session (locked, so concurrent refreshes of one session queue) and user."""
        record = await self.conn.fetchrow(
            """SELECT t.session_id, t.rotated_at, t.sealed_successor,
                      s.revoked_at, s.expires_at,
                      (n.token_hash IS NOT NULL AND n.rotated_at IS NULL) AS successor_is_current,
                      u.id, u.email, u.username, u.password_hash, u.created_at
               FROM refresh_tokens t
               JOIN sessions s ON s.id = t.session_id
               JOIN users u ON u.id = s.user_id
               LEFT JOIN refresh_tokens n ON n.token_hash = t.successor_hash
               WHERE t.token_hash = $1
               FOR UPDATE OF s""",
            token_hash,
        )
        if record is None:
            return None
        presented = PresentedToken(
            session_revoked=record["revoked_at"] is not None,
            session_expires_at=record["expires_at"].timestamp(),
            rotated_at=record["rotated_at"].timestamp() if record["rotated_at"] else None,
            successor_is_current=bool(record["successor_is_current"]),
        )
        return RefreshTokenRow(
            presented=presented,
            session_id=record["session_id"],
            user=UserRow.of(record),
            sealed_successor=record["sealed_successor"],
            session_expires_at=record["expires_at"],
        )

    async def rotate(
        self, *, session_id: str, old_hash: bytes, new_hash: bytes, sealed: bytes, now: float
    ) -> None:
        """Replace the current token of a session by its successor."""
        await self.conn.execute(
            """UPDATE refresh_tokens SET rotated_at = $3, successor_hash = $2, sealed_successor = $4
               WHERE token_hash = $1""",
            old_hash,
            new_hash,
            at(now),
            sealed,
        )
        await self.conn.execute(
            "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES ($1, $2, $3)",
            new_hash,
            session_id,
            at(now),
        )

    async def revoke_session(self, session_id: str, now: float, reason: str) -> bool:
        """End a session; False when it had already ended."""
        status = await self.conn.execute(
            """UPDATE sessions SET revoked_at = $2, revoked_reason = $3
               WHERE id = $1 AND revoked_at IS NULL""",
            session_id,
            at(now),
            reason,
        )
        return bool(status.endswith(" 1"))

    async def revoke_user_sessions(self, user_id: str, now: float, reason: str) -> list[str]:
        """End every live session of a user; returns their ids."""
        rows = await self.conn.fetch(
            """UPDATE sessions SET revoked_at = $2, revoked_reason = $3
               WHERE user_id = $1 AND revoked_at IS NULL RETURNING id""",
            user_id,
            at(now),
            reason,
        )
        return [r["id"] for r in rows]


class AccountStore:
    """Users and sessions in PostgreSQL."""

    def __init__(self, pg: PostgresDependency) -> None:
        self._pg = pg

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AccountsTx]:
        """One transaction; everything done through the yielded object commits or rolls back together."""
        async with self._pg.pool.acquire() as conn, conn.transaction():
            yield AccountsTx(conn)

    async def user_by_login(self, key: str) -> UserRow | None:
        """The user whose email or username is ``key`` (already lower-cased)."""
        record = await self._pg.pool.fetchrow(
            f"""SELECT {_USER_COLUMNS} FROM users
                WHERE lower(email) = $1 OR lower(username) = $1 LIMIT 1""",  # noqa: S608 - constant columns
            key,
        )
        return UserRow.of(record) if record else None

    async def user_by_id(self, user_id: str) -> UserRow | None:
        """The user with this id."""
        record = await self._pg.pool.fetchrow(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = $1",  # noqa: S608 - constant columns
            user_id,
        )
        return UserRow.of(record) if record else None

    async def users_by_ids(self, user_ids: Sequence[str]) -> list[UserRow]:
        """The users among ``user_ids`` that exist, in no particular order."""
        records = await self._pg.pool.fetch(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = ANY($1::text[])",  # noqa: S608 - constant columns
            list(user_ids),
        )
        return [UserRow.of(r) for r in records]

    async def session_of_token(self, token_hash: bytes) -> tuple[str, str] | None:
        """(session id, user id) of any refresh token, rotated or not."""
        record = await self._pg.pool.fetchrow(
            """SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
               WHERE t.token_hash = $1""",
            token_hash,
        )
        return (record["id"], record["user_id"]) if record else None


class AuditLogStore:
    """The durable audit log (spec §7.8.2)."""

    def __init__(self, pg: PostgresDependency) -> None:
        self._pg = pg

    async def store(self, event: AuditEvent) -> bool:
        """Insert the event once; False when its id was already stored (a redelivery)."""
        status = await self._pg.pool.execute(
            """INSERT INTO audit_log (id, timestamp, event_type, actor_id, actor_ip, target_type,
                                      target_id, metadata, success, retention_class)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
               ON CONFLICT (id) DO NOTHING""",
            event.id,
            event.timestamp,
            event.event_type,
            event.actor_id,
            event.actor_ip,
            event.target_type,
            event.target_id,
            msgspec.json.encode(event.metadata).decode(),
            event.success,
            str(retention_class(event.event_type)),
        )
        return bool(status.endswith(" 1"))


@dataclass(frozen=True)
class FriendRow:
    """A friendship or request with the other user's public profile."""

    id: str
    other_id: str
    other_username: str
    requester_id: str
    accepted: bool
    created_at: datetime
    accepted_at: datetime | None


@dataclass(frozen=True)
class BlockRow:
    """A user I blocked."""

    user_id: str
    username: str
    since: datetime


@dataclass(frozen=True)
class SearchRow:
    """A search hit with what is needed to name its relation to me."""

    user_id: str
    username: str
    pair: Pair | None
    i_blocked: bool


def _pair(record: Any) -> Pair | None:
    if record is None or record["pair_id"] is None:
        return None
    return Pair(
        id=record["pair_id"],
        requester_id=record["pair_requester"],
        accepted=record["pair_status"] == "accepted",
    )


class FriendsTx:
    """Friendship queries inside one transaction that holds the pair's lock."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def pair(self, a: str, b: str) -> Pair | None:
        """The friendship row between two users, in either direction."""
        record = await self.conn.fetchrow(
            """SELECT id AS pair_id, requester_id AS pair_requester, status AS pair_status
               FROM friendships
               WHERE least(requester_id, addressee_id) = least($1::text, $2::text)
                 AND greatest(requester_id, addressee_id) = greatest($1::text, $2::text)""",
            a,
            b,
        )
        return _pair(record)

    async def blocked(self, blocker: str, blocked: str) -> bool:
        """Whether ``blocker`` blocked ``blocked``."""
        return bool(
            await self.conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2)",
                blocker,
                blocked,
            )
        )

    async def create_request(
        self, request_id: str, requester: str, addressee: str, now: float
    ) -> datetime:
        """A pending request; returns its creation time."""
        created = at(now)
        await self.conn.execute(
            """INSERT INTO friendships (id, requester_id, addressee_id, status, created_at)
               VALUES ($1, $2, $3, 'pending', $4)""",
            request_id,
            requester,
            addressee,
            created,
        )
        return created

    async def accept(self, request_id: str, addressee: str, now: float) -> FriendRow | None:
        """Accept a pending request made to ``addressee``; None when there is none."""
        record = await self.conn.fetchrow(
            """UPDATE friendships f SET status = 'accepted', accepted_at = $3
               FROM users u
               WHERE f.id = $1 AND f.addressee_id = $2 AND f.status = 'pending'
                 AND u.id = f.requester_id
               RETURNING f.id, f.requester_id, f.status, f.created_at, f.accepted_at,
                         u.id AS other_id, u.username AS other_username""",
            request_id,
            addressee,
            at(now),
        )
        return _friend_row(record) if record else None

    async def delete_pending(
        self, request_id: str, *, addressee: str | None = None, requester: str | None = None
    ) -> bool:
        """Delete a pending request made to ``addressee`` (decline) or by ``requester`` (cancel)."""
        status = await self.conn.execute(
            """DELETE FROM friendships WHERE id = $1 AND status = 'pending'
                 AND ($2::text IS NULL OR addressee_id = $2)
                 AND ($3::text IS NULL OR requester_id = $3)""",
            request_id,
            addressee,
            requester,
        )
        return bool(status.endswith(" 1"))

    async def delete_pair(self, a: str, b: str, *, accepted_only: bool) -> bool:
        """End the friendship (or any row, request included) between two users."""
        status = await self.conn.execute(
            """DELETE FROM friendships
               WHERE least(requester_id, addressee_id) = least($1::text, $2::text)
                 AND greatest(requester_id, addressee_id) = greatest($1::text, $2::text)
                 AND (NOT $3 OR status = 'accepted')""",
            a,
            b,
            accepted_only,
        )
        return bool(status.endswith(" 1"))

    async def block(self, blocker: str, blocked: str, now: float) -> None:
        """Block (idempotent); any friendship or request between the two ends."""
        await self.conn.execute(
            """INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING""",
            blocker,
            blocked,
            at(now),
        )
        await self.delete_pair(blocker, blocked, accepted_only=False)

    async def unblock(self, blocker: str, blocked: str) -> bool:
        """Lift a block; False when there was none."""
        status = await self.conn.execute(
            "DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2", blocker, blocked
        )
        return bool(status.endswith(" 1"))


def _friend_row(record: Any) -> FriendRow:
    return FriendRow(
        id=record["id"],
        other_id=record["other_id"],
        other_username=record["other_username"],
        requester_id=record["requester_id"],
        accepted=record["status"] == "accepted",
        created_at=record["created_at"],
        accepted_at=record["accepted_at"],
    )


class FriendStore:
    """Friendships, requests and blocks in PostgreSQL."""

    def __init__(self, pg: PostgresDependency) -> None:
        self._pg = pg

    @contextlib.asynccontextmanager
    async def pair_transaction(self, a: str, b: str) -> AsyncIterator[FriendsTx]:
        """A transaction holding a lock on the pair, so both people's actions on it queue."""
        low, high = sorted((a, b))
        async with self._pg.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"friends:{low}:{high}"
            )
            yield FriendsTx(conn)

    async def user_by_username(self, username: str) -> UserRow | None:
        """The user with this username (case-insensitive)."""
        record = await self._pg.pool.fetchrow(
            f"SELECT {_USER_COLUMNS} FROM users WHERE lower(username) = lower($1)",  # noqa: S608 - constant columns
            username,
        )
        return UserRow.of(record) if record else None

    async def request_parties(self, request_id: str) -> tuple[str, str] | None:
        """(requester, addressee) of a request or friendship row."""
        record = await self._pg.pool.fetchrow(
            "SELECT requester_id, addressee_id FROM friendships WHERE id = $1", request_id
        )
        return (record["requester_id"], record["addressee_id"]) if record else None

    async def rows_of(self, me: str) -> list[FriendRow]:
        """Every friendship and request I am part of, with the other user."""
        records = await self._pg.pool.fetch(
            """SELECT f.id, f.requester_id, f.status, f.created_at, f.accepted_at,
                      u.id AS other_id, u.username AS other_username
               FROM friendships f
               JOIN users u ON u.id = CASE WHEN f.requester_id = $1 THEN f.addressee_id
                                           ELSE f.requester_id END
               WHERE f.requester_id = $1 OR f.addressee_id = $1
               ORDER BY lower(u.username)""",
            me,
        )
        return [_friend_row(r) for r in records]

    async def blocked_by(self, me: str) -> list[BlockRow]:
        """The users I blocked."""
        records = await self._pg.pool.fetch(
            """SELECT u.id, u.username, b.created_at FROM blocks b JOIN users u ON u.id = b.blocked_id
               WHERE b.blocker_id = $1 ORDER BY lower(u.username)""",
            me,
        )
        return [BlockRow(r["id"], r["username"], r["created_at"]) for r in records]

    async def search(self, me: str, pattern: str, limit: int) -> list[SearchRow]:
        """Users whose lower-cased username is LIKE ``pattern``: not me, not who blocked me."""
        records = await self._pg.pool.fetch(
            r"""SELECT u.id, u.username,
                      f.id AS pair_id, f.requester_id AS pair_requester, f.status AS pair_status,
                      EXISTS (SELECT 1 FROM blocks b
                              WHERE b.blocker_id = $1 AND b.blocked_id = u.id) AS i_blocked
               FROM users u
               LEFT JOIN friendships f
                 ON least(f.requester_id, f.addressee_id) = least(u.id, $1::text)
                AND greatest(f.requester_id, f.addressee_id) = greatest(u.id, $1::text)
               WHERE lower(u.username) LIKE $2 ESCAPE '\'
                 AND u.id <> $1
                 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $1)
               ORDER BY lower(u.username)
               LIMIT $3""",
            me,
            pattern,
            limit,
        )
        return [SearchRow(r["id"], r["username"], _pair(r), r["i_blocked"]) for r in records]

    async def are_friends(self, a: str, b: str) -> bool:
        """An accepted friendship between two users."""
        return bool(
            await self._pg.pool.fetchval(
                """SELECT EXISTS (SELECT 1 FROM friendships
                   WHERE least(requester_id, addressee_id) = least($1::text, $2::text)
                     AND greatest(requester_id, addressee_id) = greatest($1::text, $2::text)
                     AND status = 'accepted')""",
                a,
                b,
            )
        )
