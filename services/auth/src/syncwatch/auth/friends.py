"""Friends: requests, answers, removal, blocks, search — where a friendship gets made or ended.

Every change to the state between two people runs in a transaction holding that pair's lock, so
two people asking each other at the same moment become friends instead of colliding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from syncwatch.auth.adapters.postgres import BlockRow, FriendRow, FriendStore
from syncwatch.auth.adapters.redis import Presence
from syncwatch.auth.domain import accounts as account_rules
from syncwatch.auth.domain.friends import (
    Relation,
    RequestAction,
    relation,
    request_action,
    search_pattern,
)
from syncwatch.core import errors
from syncwatch.core.clock import Clock

SEARCH_LIMIT = 20
MIN_QUERY = 2


@dataclass(frozen=True)
class Friend:
    """A friend, with whether they are online."""

    user_id: str
    username: str
    online: bool
    since: datetime


@dataclass(frozen=True)
class FriendRequest:
    """A pending request; ``user_*`` is the other person."""

    id: str
    user_id: str
    username: str
    created_at: datetime


@dataclass(frozen=True)
class FriendList:
    """Everything the friends screen shows."""

    friends: list[Friend]
    incoming: list[FriendRequest]
    outgoing: list[FriendRequest]
    blocked: list[BlockRow]


@dataclass(frozen=True)
class SearchHit:
    """A user found by username prefix."""

    user_id: str
    username: str
    relation: Relation


def _request(row: FriendRow) -> FriendRequest:
    return FriendRequest(row.id, row.other_id, row.other_username, row.created_at)


class FriendService:
    """The friends use cases."""

    def __init__(self, store: FriendStore, presence: Presence, clock: Clock) -> None:
        self.store = store
        self.presence = presence
        self.clock = clock

    async def _friend(self, row: FriendRow) -> Friend:
        online = await self.presence.online([row.other_id])
        return Friend(
            row.other_id,
            row.other_username,
            row.other_id in online,
            row.accepted_at or row.created_at,
        )

    async def overview(self, me: str) -> FriendList:
        """Friends (with online state), requests in and out, and whom I blocked."""
        rows = await self.store.rows_of(me)
        accepted = [r for r in rows if r.accepted]
        online = await self.presence.online([r.other_id for r in accepted])
        pending = sorted(
            (r for r in rows if not r.accepted), key=lambda r: r.created_at, reverse=True
        )
        return FriendList(
            friends=[
                Friend(
                    r.other_id,
                    r.other_username,
                    r.other_id in online,
                    r.accepted_at or r.created_at,
                )
                for r in accepted
            ],
            incoming=[_request(r) for r in pending if r.requester_id != me],
            outgoing=[_request(r) for r in pending if r.requester_id == me],
            blocked=await self.store.blocked_by(me),
        )

    async def search(self, me: str, query: str) -> list[SearchHit]:
        """Up to 20 users whose username starts with ``query``."""
        query = query.strip()
        if len(query) < MIN_QUERY:
            raise errors.InvalidRequest(f"type at least {MIN_QUERY} characters")
        if len(query) > 32:
            return []
        rows = await self.store.search(me, search_pattern(query), SEARCH_LIMIT)
        return [
            SearchHit(r.user_id, r.username, relation(me, r.pair, i_blocked=r.i_blocked))
            for r in rows
        ]

    async def request(self, me: str, username: str) -> FriendRequest | Friend:
        """Ask ``username`` to be friends; if they had asked me already, we are friends now."""
        target = await self.store.user_by_username(username.strip())
        if target is None:
            raise errors.NotFound("no user with this username", code="user_not_found")
        async with self.store.pair_transaction(me, target.id) as tx:
            pair = await tx.pair(me, target.id)
            action = request_action(
                me,
                target.id,
                pair,
                i_blocked=await tx.blocked(me, target.id),
                they_blocked=await tx.blocked(target.id, me),
            )
            if action is RequestAction.CREATE or pair is None:
                request_id = account_rules.new_id("fr")
                created = await tx.create_request(request_id, me, target.id, self.clock.now())
                return FriendRequest(request_id, target.id, target.username, created)
            row = await tx.accept(pair.id, me, self.clock.now())
        if row is None:  # cannot happen under the pair lock; answered as a retryable conflict
            raise errors.Conflict("the request changed; try again")
        return await self._friend(row)

    async def accept(self, me: str, request_id: str) -> Friend:
        """Accept a request someone made to me."""
        parties = await self.store.request_parties(request_id)
        if parties is None or parties[1] != me:
            raise errors.NotFound("no such request", code="request_not_found")
        async with self.store.pair_transaction(*parties) as tx:
            row = await tx.accept(request_id, me, self.clock.now())
        if row is None:
            raise errors.NotFound("no such request", code="request_not_found")
        return await self._friend(row)

    async def decline(self, me: str, request_id: str) -> None:
        """Turn down a request someone made to me."""
        await self._delete_request(request_id, addressee=me)

    async def cancel(self, me: str, request_id: str) -> None:
        """Take back a request I made."""
        await self._delete_request(request_id, requester=me)

    async def _delete_request(
        self, request_id: str, *, addressee: str | None = None, requester: str | None = None
    ) -> None:
        parties = await self.store.request_parties(request_id)
        if parties is None:
            raise errors.NotFound("no such request", code="request_not_found")
        async with self.store.pair_transaction(*parties) as tx:
            deleted = await tx.delete_pending(request_id, addressee=addressee, requester=requester)
        if not deleted:
            raise errors.NotFound("no such request", code="request_not_found")

    async def remove(self, me: str, other: str) -> None:
        """End a friendship."""
        async with self.store.pair_transaction(me, other) as tx:
            removed = await tx.delete_pair(me, other, accepted_only=True)
        if not removed:
            raise errors.NotFound("you are not friends", code="not_friends")

    async def block(self, me: str, username: str) -> None:
        """Block a user: they can no longer find me or ask me, and any friendship ends."""
        target = await self.store.user_by_username(username.strip())
        if target is None:
            raise errors.NotFound("no user with this username", code="user_not_found")
        if target.id == me:
            raise errors.InvalidRequest("you cannot block yourself", code="cannot_block_self")
        async with self.store.pair_transaction(me, target.id) as tx:
            await tx.block(me, target.id, self.clock.now())

    async def unblock(self, me: str, other: str) -> None:
        """Lift a block."""
        async with self.store.pair_transaction(me, other) as tx:
            lifted = await tx.unblock(me, other)
        if not lifted:
            raise errors.NotFound("you have not blocked this user", code="not_blocked")
