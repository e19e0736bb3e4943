"""Friendship rules: what a friend request means given the state between two people."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from syncwatch.core import errors


class Relation(enum.StrEnum):
    """How another user stands to me (search results)."""

    NONE = "none"
    FRIEND = "friend"
    INCOMING = "incoming"  #: they asked me
    OUTGOING = "outgoing"  #: I asked them
    BLOCKED = "blocked"  #: I blocked them


@dataclass(frozen=True)
class Pair:
    """The friendship row between two users, if any."""

    id: str
    requester_id: str
    accepted: bool


class RequestAction(enum.Enum):
    """What ``POST /api/friends/request`` does."""

    CREATE = "create"
    ACCEPT_THEIRS = "accept_theirs"  #: they had already asked me: we are friends now


def relation(me: str, pair: Pair | None, *, i_blocked: bool) -> Relation:
    """My relation to the other user of ``pair``."""
    if i_blocked:
        return Relation.BLOCKED
    if pair is None:
        return Relation.NONE
    if pair.accepted:
        return Relation.FRIEND
    return Relation.OUTGOING if pair.requester_id == me else Relation.INCOMING


def request_action(
    me: str, target: str | None, pair: Pair | None, *, i_blocked: bool, they_blocked: bool
) -> RequestAction:
    """Decide a friend request; raises the contract's typed error when it cannot be made.

    Someone who blocked me looks like someone who does not exist: a block is not announced.
    """
    if target is None or they_blocked:
        raise errors.NotFound("no user with this username", code="user_not_found")
    if target == me:
        raise errors.InvalidRequest("you cannot befriend yourself", code="cannot_friend_self")
    if i_blocked:
        raise errors.Forbidden("you blocked this user; unblock them first", code="blocked")
    if pair is not None and pair.accepted:
        raise errors.Conflict("you are already friends", code="already_friends")
    if pair is not None and pair.requester_id == me:
        raise errors.Conflict("you already asked; wait for their answer", code="request_exists")
    if pair is not None:
        return RequestAction.ACCEPT_THEIRS
    return RequestAction.CREATE


def search_pattern(prefix: str) -> str:
    """A ``LIKE`` pattern matching usernames that start with ``prefix`` (wildcards escaped)."""
    escaped = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"
