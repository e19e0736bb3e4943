"""gRPC ``syncwatch.auth.v1.AuthService``: tokens, users, friendships and keys for other services.

Failures are raised as our typed errors; the server's interceptor turns them into status codes with
the ``syncwatch-error-bin`` trailer (``auth_required``, ``user_not_found``, ``invalid_request``).
"""

from __future__ import annotations

import json
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from syncwatch.auth.adapters.keystore import SigningKeyStore
from syncwatch.auth.adapters.postgres import AccountStore, FriendStore, UserRow
from syncwatch.core import errors
from syncwatch.core.grpc import Registration
from syncwatch.core.tokens import TokenVerifier
from syncwatch.proto.auth.v1 import auth_pb2, auth_pb2_grpc

SERVICE_NAME = auth_pb2.DESCRIPTOR.services_by_name["AuthService"].full_name
MAX_BATCH = 100

Context = grpc.aio.ServicerContext[Any, Any]


def _timestamp(seconds: float) -> Timestamp:
    stamp = Timestamp()
    stamp.FromNanoseconds(int(seconds * 1_000_000_000))
    return stamp


def _user(row: UserRow) -> auth_pb2.User:
    return auth_pb2.User(
        id=row.id, username=row.username, create_time=_timestamp(row.created_at.timestamp())
    )


def _required(value: str, name: str) -> str:
    if not value:
        raise errors.InvalidRequest(f"{name} is required")
    return value


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    """The RPCs, over the same stores and verifier as the REST API."""

    def __init__(
        self,
        *,
        verifier: TokenVerifier,
        accounts: AccountStore,
        friends: FriendStore,
        keys: SigningKeyStore,
    ) -> None:
        self._verifier = verifier
        self._accounts = accounts
        self._friends = friends
        self._keys = keys

    async def ValidateToken(
        self, request: auth_pb2.ValidateTokenRequest, context: Context
    ) -> auth_pb2.ValidateTokenResponse:
        """Every check of the shared verifier, revocation included."""
        claims = await self._verifier.verify(request.access_token)
        return auth_pb2.ValidateTokenResponse(
            user_id=claims.user_id,
            username=claims.username,
            session_id=claims.session_id,
            expire_time=_timestamp(claims.expires_at),
        )

    async def GetUser(
        self, request: auth_pb2.GetUserRequest, context: Context
    ) -> auth_pb2.GetUserResponse:
        """One user's public profile."""
        row = await self._accounts.user_by_id(_required(request.user_id, "user_id"))
        if row is None:
            raise errors.NotFound("no such user", code="user_not_found")
        return auth_pb2.GetUserResponse(user=_user(row))

    async def GetUsers(
        self, request: auth_pb2.GetUsersRequest, context: Context
    ) -> auth_pb2.GetUsersResponse:
        """Up to 100 users, in the order asked; unknown ids are left out."""
        ids = list(dict.fromkeys(request.user_ids))
        if len(ids) > MAX_BATCH:
            raise errors.InvalidRequest(f"ask for at most {MAX_BATCH} users at once")
        rows = {r.id: r for r in await self._accounts.users_by_ids(ids)} if ids else {}
        return auth_pb2.GetUsersResponse(users=[_user(rows[i]) for i in ids if i in rows])

    async def AreFriends(
        self, request: auth_pb2.AreFriendsRequest, context: Context
    ) -> auth_pb2.AreFriendsResponse:
        """An accepted friendship (a block ends any friendship, so it needs no separate check)."""
        a = _required(request.user_id, "user_id")
        b = _required(request.other_user_id, "other_user_id")
        return auth_pb2.AreFriendsResponse(
            are_friends=a != b and await self._friends.are_friends(a, b)
        )

    async def GetSigningKeys(
        self, request: auth_pb2.GetSigningKeysRequest, context: Context
    ) -> auth_pb2.GetSigningKeysResponse:
        """The published public keys, newest first."""
        return auth_pb2.GetSigningKeysResponse(
            keys=[
                auth_pb2.SigningKey(
                    kid=k.kid, algorithm=k.algorithm, jwk_json=json.dumps(dict(k.jwk))
                )
                for k in await self._keys.published()
            ]
        )


def registration(servicer: AuthServicer) -> Registration:
    """Adds the servicer to a server (``ServiceDefinition.grpc_registrations``)."""

    def register(server: grpc.aio.Server) -> None:
        auth_pb2_grpc.add_AuthServiceServicer_to_server(servicer, server)

    return register
