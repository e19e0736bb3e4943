"""Request and response bodies of the REST API (camelCase JSON), as docs/api/auth.md defines them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from syncwatch.auth.adapters.postgres import UserRow

# Generous caps on what is read at all; the real rules (8-128 characters, …) answer with a clear
# message, these only stop a client from making the server hash megabytes.
Secret = Annotated[str, msgspec.Meta(max_length=1024)]
Text = Annotated[str, msgspec.Meta(max_length=512)]
TokenDelivery = Literal["cookie", "body"]


class RegisterBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/auth/register``."""

    email: Text
    username: Text
    password: Secret
    token_delivery: TokenDelivery | None = None


class LoginBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/auth/login``: ``login`` is the email or the username (or send ``email``/``username``)."""

    password: Secret
    login: Text | None = None
    email: Text | None = None
    username: Text | None = None
    token_delivery: TokenDelivery | None = None

    @property
    def identifier(self) -> str:
        """Whichever of login, email, username was given."""
        return self.login or self.email or self.username or ""


class RefreshBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/auth/refresh`` and ``/logout`` (the cookie is used when there is no body)."""

    refresh_token: Secret | None = None
    token_delivery: TokenDelivery | None = None


class PasswordBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/auth/password``."""

    current_password: Secret
    new_password: Secret
    token_delivery: TokenDelivery | None = None


class User(msgspec.Struct, rename="camel", kw_only=True):
    """Your own account (only ever shown to you)."""

    id: str
    email: str
    username: str
    created_at: datetime

    @classmethod
    def of(cls, row: UserRow) -> User:
        """From a stored user."""
        return cls(id=row.id, email=row.email, username=row.username, created_at=row.created_at)


class PublicUser(msgspec.Struct, rename="camel", kw_only=True):
    """Anyone else."""

    id: str
    username: str


class Session(msgspec.Struct, rename="camel", kw_only=True, omit_defaults=True):
    """A session answer; ``refreshToken`` only when the client asked for ``tokenDelivery: body``."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    user: User
    refresh_token: str | None = None


class Me(msgspec.Struct, kw_only=True):
    """``GET /api/auth/me``."""

    user: User


class Jwks(msgspec.Struct, kw_only=True):
    """``GET /api/auth/.well-known/jwks.json`` (RFC 7517 JWK Set)."""

    keys: list[dict[str, Any]]


class UsernameBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/friends/request`` and ``/block``."""

    username: Text


class RequestIdBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/friends/accept`` and ``/decline``."""

    request_id: Text


class FriendOut(msgspec.Struct, rename="camel", kw_only=True):
    """A friend; ``online`` = an authenticated request in the last 2 minutes."""

    user: PublicUser
    online: bool
    since: datetime


class RequestOut(msgspec.Struct, rename="camel", kw_only=True):
    """A pending friend request; ``user`` is the other person."""

    id: str
    user: PublicUser
    created_at: datetime


class BlockedOut(msgspec.Struct, rename="camel", kw_only=True):
    """Someone you blocked."""

    user: PublicUser
    since: datetime


class FriendsOut(msgspec.Struct, rename="camel", kw_only=True):
    """``GET /api/friends``."""

    friends: list[FriendOut]
    incoming: list[RequestOut]
    outgoing: list[RequestOut]
    blocked: list[BlockedOut]


class SearchHitOut(msgspec.Struct, rename="camel", kw_only=True):
    """A search result and how they stand to you."""

    user: PublicUser
    relation: Literal["none", "friend", "incoming", "outgoing", "blocked"]


class SearchOut(msgspec.Struct, rename="camel", kw_only=True):
    """``GET /api/friends/search``."""

    users: list[SearchHitOut]


class RequestCreated(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/friends/request``, 201."""

    request: RequestOut


class FriendAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/friends/accept``, and ``/request`` when they had already asked you (200)."""

    friend: FriendOut
