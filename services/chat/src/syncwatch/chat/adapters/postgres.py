"""PostgreSQL store of chat messages (schema ``chat``, migration ``0002_messages.sql``).

An insert is one transaction that first locks the room's counter row (``room_counters``, an upsert),
so the writers of one room take turns: each sees what the one before committed, takes the next
``seq`` (and an id sorting after the room's last) and bumps the counter only when it stored a
row. Idempotency is the unique indexes with
``INSERT … ON CONFLICT DO NOTHING``; a conflict answers the stored row and spends no number.
"""

# ruff: noqa: S608 - the f-strings only splice the constant column list; values are bound

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import asyncpg

from syncwatch.chat.domain.messages import MessageKind, next_message_id
from syncwatch.core import errors
from syncwatch.core.postgres import PostgresDependency


@dataclass(frozen=True)
class MessageRow:
    """A message as stored."""

    id: str
    room_id: str
    seq: int
    kind: MessageKind
    author_user_id: str | None
    author_name: str
    content: str
    system_kind: str | None
    system_data: dict[str, str]
    client_message_id: str | None
    dedup_key: str | None
    created_at: dt.datetime
    deleted_at: dt.datetime | None = None
    deleted_by: str | None = None

    @property
    def deleted(self) -> bool:
        """Tombstoned."""
        return self.deleted_at is not None


@dataclass(frozen=True)
class NewMessage:
    """What an insert stores; the store adds ``seq`` and ``id``."""

    room_id: str
    kind: MessageKind
    author_name: str
    created_at: dt.datetime
    content: str = ""
    author_user_id: str | None = None
    client_message_id: str | None = None
    system_kind: str | None = None
    system_data: dict[str, str] | None = None
    dedup_key: str | None = None

    def __post_init__(self) -> None:
        user = self.author_user_id is not None and self.client_message_id is not None
        system = self.system_kind is not None and self.dedup_key is not None
        if user == system or user != (self.kind is MessageKind.USER):
            raise ValueError("a user message has an author and client id; a system one a key")


@dataclass(frozen=True)
class Stored:
    """The row an insert answered, and whether this insert created it."""

    row: MessageRow
    created: bool


@dataclass(frozen=True)
class Page:
    """Messages oldest first; ``has_more``: more lie beyond the page in the direction asked."""

    messages: list[MessageRow]
    has_more: bool


_COLUMNS = (
    "id, room_id, seq, kind, author_user_id, author_name, content, system_kind, system_data,"
    " client_message_id, dedup_key, created_at, deleted_at, deleted_by"
)
_BY_CLIENT_ID = (
    f"SELECT {_COLUMNS} FROM messages"
    " WHERE room_id = $1 AND author_user_id = $2 AND client_message_id = $3"
)
_BY_DEDUP_KEY = f"SELECT {_COLUMNS} FROM messages WHERE room_id = $1 AND dedup_key = $2"


def _row(record: asyncpg.Record) -> MessageRow:
    data: Any = record["system_data"]
    if isinstance(data, str):
        data = json.loads(data)
    return MessageRow(
        id=record["id"],
        room_id=record["room_id"],
        seq=record["seq"],
        kind=MessageKind(record["kind"]),
        author_user_id=record["author_user_id"],
        author_name=record["author_name"],
        content=record["content"],
        system_kind=record["system_kind"],
        system_data={str(k): str(v) for k, v in data.items()},
        client_message_id=record["client_message_id"],
        dedup_key=record["dedup_key"],
        created_at=record["created_at"],
        deleted_at=record["deleted_at"],
        deleted_by=record["deleted_by"],
    )


class MessageStore:
    """Chat messages in PostgreSQL."""

    def __init__(self, postgres: PostgresDependency) -> None:
        self._pg = postgres

    @property
    def _pool(self) -> asyncpg.Pool:
        try:
            return self._pg.pool
        except RuntimeError:  # not connected since the start: the same as PostgreSQL away
            raise errors.Unavailable("chat storage is unavailable; try again") from None

    async def find_user_message(
        self, room_id: str, author_user_id: str, client_message_id: str
    ) -> MessageRow | None:
        """The message a user stored under their ``client_message_id`` in the room."""
        record = await self._pool.fetchrow(
            _BY_CLIENT_ID, room_id, author_user_id, client_message_id
        )
        return _row(record) if record else None

    async def find_system_message(self, room_id: str, dedup_key: str) -> MessageRow | None:
        """The system message stored under ``dedup_key`` in the room."""
        record = await self._pool.fetchrow(_BY_DEDUP_KEY, room_id, dedup_key)
        return _row(record) if record else None

    async def insert(self, new: NewMessage) -> Stored:
        """Store ``new`` as the room's next message, or answer the one stored under its key."""
        user = new.kind is MessageKind.USER
        arbiter = "(room_id, author_user_id, client_message_id)" if user else "(room_id, dedup_key)"
        async with self._pool.acquire() as conn, conn.transaction():
            # Takes (or creates) the room's counter row locked until commit: writers take turns.
            last = await conn.fetchrow(
                "INSERT INTO room_counters AS c (room_id, last_seq) VALUES ($1, 0)"
                " ON CONFLICT (room_id) DO UPDATE SET last_seq = c.last_seq"
                " RETURNING last_seq, last_id",
                new.room_id,
            )
            assert last is not None  # an upsert with RETURNING always answers a row
            seq = int(last["last_seq"]) + 1
            message_id = next_message_id(new.created_at.timestamp(), after=last["last_id"])
            record = await conn.fetchrow(
                f"INSERT INTO messages (id, room_id, seq, kind, author_user_id, author_name,"
                f" content, system_kind, system_data, client_message_id, dedup_key, created_at)"
                f" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)"
                f" ON CONFLICT {arbiter} DO NOTHING RETURNING {_COLUMNS}",
                message_id,
                new.room_id,
                seq,
                new.kind.value,
                new.author_user_id,
                new.author_name,
                new.content,
                new.system_kind,
                json.dumps(new.system_data or {}),
                new.client_message_id,
                new.dedup_key,
                new.created_at,
            )
            if record is not None:
                await conn.execute(
                    "UPDATE room_counters SET last_seq = $2, last_id = $3 WHERE room_id = $1",
                    new.room_id,
                    seq,
                    message_id,
                )
                return Stored(_row(record), created=True)
            if user:
                existing = await conn.fetchrow(
                    _BY_CLIENT_ID, new.room_id, new.author_user_id, new.client_message_id
                )
            else:
                existing = await conn.fetchrow(_BY_DEDUP_KEY, new.room_id, new.dedup_key)
        if existing is None:  # the arbiter conflicted, so the row is there
            raise RuntimeError("conflicting message not found")
        return Stored(_row(existing), created=False)

    async def get(self, room_id: str, message_id: str) -> MessageRow | None:
        """One message of a room."""
        record = await self._pool.fetchrow(
            f"SELECT {_COLUMNS} FROM messages WHERE room_id = $1 AND id = $2", room_id, message_id
        )
        return _row(record) if record else None

    async def latest(self, room_id: str, limit: int) -> Page:
        """The room's last ``limit`` messages; ``has_more``: older ones exist."""
        records = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM messages WHERE room_id = $1 ORDER BY seq DESC LIMIT $2",
            room_id,
            limit + 1,
        )
        return Page([_row(r) for r in reversed(records[:limit])], len(records) > limit)

    async def before(self, room_id: str, seq: int, limit: int) -> Page:
        """The ``limit`` messages just before ``seq``; ``has_more``: older ones exist."""
        records = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM messages WHERE room_id = $1 AND seq < $2"
            " ORDER BY seq DESC LIMIT $3",
            room_id,
            seq,
            limit + 1,
        )
        return Page([_row(r) for r in reversed(records[:limit])], len(records) > limit)

    async def after(self, room_id: str, seq: int, limit: int) -> Page:
        """The ``limit`` messages right after ``seq``; ``has_more``: newer ones follow them."""
        records = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM messages WHERE room_id = $1 AND seq > $2"
            " ORDER BY seq LIMIT $3",
            room_id,
            seq,
            limit + 1,
        )
        return Page([_row(r) for r in records[:limit]], len(records) > limit)

    async def tombstone(
        self, room_id: str, message_id: str, *, by: str, at: dt.datetime
    ) -> MessageRow | None:
        """Clear a message and mark it deleted; None when it was deleted already (or is not there)."""
        record = await self._pool.fetchrow(
            f"UPDATE messages SET content = '', system_data = '{{}}', deleted_at = $3,"
            f" deleted_by = $4 WHERE room_id = $1 AND id = $2 AND deleted_at IS NULL"
            f" RETURNING {_COLUMNS}",
            room_id,
            message_id,
            at,
            by,
        )
        return _row(record) if record else None

    async def member_name(self, room_id: str, member_id: str) -> str | None:
        """The name on a member's join message in the room, if one is stored."""
        name: str | None = await self._pool.fetchval(
            "SELECT author_name FROM messages WHERE room_id = $1 AND system_kind = 'join'"
            " AND system_data ->> 'memberId' = $2 ORDER BY seq DESC LIMIT 1",
            room_id,
            member_id,
        )
        return name
