"""The auth service as the room service asks it, over gRPC ``syncwatch.auth.v1.AuthService``.

One channel (``ROOM_AUTH_GRPC_ADDR``) from ``syncwatch.core.grpc.create_channel``, so calls retry
while auth restarts and failures arrive as typed errors. When auth cannot answer, callers get 503
``dependency_unavailable``: the request was fine and may succeed later.
"""

from __future__ import annotations

import grpc

from syncwatch.core import errors
from syncwatch.core.grpc import create_channel
from syncwatch.core.logs import get_logger
from syncwatch.proto.auth.v1 import auth_pb2, auth_pb2_grpc

log = get_logger(__name__)

DEPENDENCY_UNAVAILABLE = "dependency_unavailable"
#: Seconds one call may take, retries included; a user is waiting on the answer.
CALL_TIMEOUT_S = 5.0


class AuthClient:
    """What the room service asks auth: whether two users are friends."""

    def __init__(
        self, target: str | grpc.aio.Channel, *, timeout_s: float = CALL_TIMEOUT_S
    ) -> None:
        self._own_channel = isinstance(target, str)
        self._channel = create_channel(target) if isinstance(target, str) else target
        self._stub = auth_pb2_grpc.AuthServiceStub(self._channel)
        self._timeout_s = timeout_s

    async def are_friends(self, user_id: str, other_user_id: str) -> bool:
        """Whether the two users are friends; 503 ``dependency_unavailable`` when auth is down."""
        request = auth_pb2.AreFriendsRequest(user_id=user_id, other_user_id=other_user_id)
        try:
            answer = await self._stub.AreFriends(request, timeout=self._timeout_s)
        except (errors.Unavailable, grpc.aio.AioRpcError) as exc:
            raise errors.Unavailable(
                "friendships cannot be checked right now; try again shortly",
                code=DEPENDENCY_UNAVAILABLE,
            ) from exc
        except errors.SyncWatchError as exc:
            # Anything else auth refuses is a bug on our side (we send valid ids), not the user's.
            log.error("AreFriends refused", code=exc.code, error=exc.message)  # noqa: TRY400 - the code says it
            raise errors.Internal() from exc
        return bool(answer.are_friends)

    async def close(self) -> None:
        """Close the channel when this client opened it."""
        if self._own_channel:
            await self._channel.close(None)
