"""The chat use cases: post a member's message, post a system message, read history, delete.

The gRPC adapter and the room-events consumer call these; rules are in ``domain.messages``, storage
in ``adapters.postgres``, publishing in ``adapters.events``. Times come from the injected clock.
Every answer comes after the commit; events go out after it too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import asyncpg
import redis.exceptions
from prometheus_client import Counter

from syncwatch.chat.adapters.events import ChatEvents
from syncwatch.chat.adapters.postgres import MessageRow, MessageStore, NewMessage, Page, Stored
from syncwatch.chat.domain.messages import (
    MAX_CONTENT_CHARS,
    MessageKind,
    check_id,
    check_key,
    clean_content,
    clean_name,
    clean_system,
    page_size,
)
from syncwatch.core import errors
from syncwatch.core.clock import Clock
from syncwatch.core.ratelimit import RateLimiter

MESSAGES = Counter(
    "syncwatch_chat_messages_total", "Chat messages stored, by kind (user, system)", ["kind"]
)

# What an outage of PostgreSQL or Redis looks like from here: the request may succeed later.
_OUTAGES = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


@contextlib.contextmanager
def _outage_is_unavailable() -> Iterator[None]:
    try:
        yield
    except _OUTAGES as exc:
        raise errors.Unavailable("chat storage is unavailable; try again") from exc


@dataclass(frozen=True)
class ChatPolicy:
    """Limits the service is configured with."""

    max_content_chars: int = MAX_CONTENT_CHARS
    #: Spec §7.6: chat messages per user per minute (across rooms).
    messages_per_user_per_minute: int = 30


@dataclass(frozen=True)
class Posted:
    """The stored message, and whether it was stored before this request (a replay)."""

    message: MessageRow
    replayed: bool


def message_not_found() -> errors.NotFound:
    """The typed 404 for a message id that is not in the room."""
    return errors.NotFound("no such message in this room", code="message_not_found")


class ChatService:
    """Messages of rooms: stored durably, ordered by a gapless per-room ``seq``."""

    def __init__(
        self,
        *,
        store: MessageStore,
        limiter: RateLimiter,
        events: ChatEvents,
        clock: Clock,
        policy: ChatPolicy | None = None,
    ) -> None:
        self.store = store
        self._limiter = limiter
        self._events = events
        self._clock = clock
        self.policy = policy or ChatPolicy()

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._clock.now(), dt.UTC)

    async def post(
        self,
        *,
        room_id: str,
        author_user_id: str,
        author_name: str,
        content: str,
        client_message_id: str,
    ) -> Posted:
        """Store a member's message; a repeat of its client id answers the stored one, uncounted."""
        room_id = check_id(room_id, "room_id")
        author_user_id = check_id(author_user_id, "author_user_id")
        client_message_id = check_key(client_message_id, "client_message_id")
        name = clean_name(author_name, "author_name", required=True)
        text = clean_content(content, max_chars=self.policy.max_content_chars)
        with _outage_is_unavailable():
            stored = await self.store.find_user_message(room_id, author_user_id, client_message_id)
            if stored is not None:
                return await self._replay(stored)
            rate_key = f"chat:user:{author_user_id}"
            try:
                decision = await self._limiter.hit(
                    rate_key, self.policy.messages_per_user_per_minute, 60
                )
            except RuntimeError as exc:  # Redis not connected yet
                raise errors.Unavailable("chat is starting; try again") from exc
            decision.raise_if_denied(
                f"at most {self.policy.messages_per_user_per_minute} messages per minute"
            )
            try:
                result = await self.store.insert(
                    NewMessage(
                        room_id=room_id,
                        kind=MessageKind.USER,
                        author_user_id=author_user_id,
                        author_name=name,
                        content=text,
                        client_message_id=client_message_id,
                        created_at=self._now(),
                    )
                )
            except Exception:
                await self._uncount(rate_key, decision.entry)  # nothing was stored
                raise
            if not result.created:
                # A concurrent twin stored it first: this one is a replay and does not count.
                await self._uncount(rate_key, decision.entry)
        return await self._answer(result)

    async def post_system(
        self,
        *,
        room_id: str,
        kind: str,
        actor_name: str,
        data: Mapping[str, str],
        dedup_key: str,
    ) -> Posted:
        """Store a system message once per ``dedup_key`` in the room."""
        room_id = check_id(room_id, "room_id")
        dedup_key = check_key(dedup_key, "dedup_key")
        name = clean_name(actor_name, "actor_name", required=False)
        system_kind, details = clean_system(kind, data)
        with _outage_is_unavailable():
            stored = await self.store.find_system_message(room_id, dedup_key)
            if stored is not None:
                return await self._replay(stored)
            result = await self.store.insert(
                NewMessage(
                    room_id=room_id,
                    kind=MessageKind.SYSTEM,
                    author_name=name,
                    system_kind=system_kind.value,
                    system_data=details,
                    dedup_key=dedup_key,
                    created_at=self._now(),
                )
            )
        return await self._answer(result)

    async def _uncount(self, rate_key: str, entry: str | None) -> None:
        if entry is not None:
            with contextlib.suppress(*_OUTAGES):
                await self._limiter.release(rate_key, entry)

    async def _answer(self, result: Stored) -> Posted:
        if not result.created:
            return await self._replay(result.row)
        MESSAGES.labels(kind=result.row.kind.value).inc()
        await self._events.message_posted(result.row)
        return Posted(result.row, replayed=False)

    async def _replay(self, row: MessageRow) -> Posted:
        # Publishing again heals a publish lost after the first commit; JetStream drops the
        # duplicate by its msg id, live subscribers place messages by id.
        if not row.deleted:
            await self._events.message_posted(row)
        return Posted(row, replayed=True)

    async def history(
        self, room_id: str, *, before_id: str = "", after_id: str = "", limit: int = 0
    ) -> Page:
        """The latest page, the page before ``before_id``, or what came after ``after_id``."""
        room_id = check_id(room_id, "room_id")
        size = page_size(limit)
        if before_id and after_id:
            raise errors.InvalidRequest("before_id and after_id: give at most one")
        with _outage_is_unavailable():
            cursor_id = before_id or after_id
            if not cursor_id:
                return await self.store.latest(room_id, size)
            cursor = await self.store.get(room_id, cursor_id)
            if cursor is None:
                raise message_not_found()
            if after_id:
                return await self.store.after(room_id, cursor.seq, size)
            return await self.store.before(room_id, cursor.seq, size)

    async def delete(
        self, *, room_id: str, message_id: str, actor_user_id: str, actor_is_owner: bool
    ) -> MessageRow:
        """Tombstone a message: the owner may delete any, a member their own. Idempotent."""
        room_id = check_id(room_id, "room_id")
        actor_user_id = check_id(actor_user_id, "actor_user_id")
        if not message_id:
            raise errors.InvalidRequest("message_id: required")
        with _outage_is_unavailable():
            row = await self.store.get(room_id, message_id)
            if row is None:
                raise message_not_found()
            if not actor_is_owner and row.author_user_id != actor_user_id:
                raise errors.Forbidden("only the room's owner may delete others' messages")
            if row.deleted:
                return row
            deleted = await self.store.tombstone(
                room_id, message_id, by=actor_user_id, at=self._now()
            )
            if deleted is None:  # deleted by someone else in between
                again = await self.store.get(room_id, message_id)
                if again is None:
                    raise message_not_found()
                return again
        await self._events.message_deleted(deleted)
        return deleted
