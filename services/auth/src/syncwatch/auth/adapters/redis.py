"""Presence in Redis db0: "online" means an authenticated request in the last two minutes."""

from __future__ import annotations

from collections.abc import Sequence

from syncwatch.core.clock import Clock
from syncwatch.core.redisdb import RedisDb, RedisDependency

ONLINE_WINDOW_S = 120.0
_KEY = "presence:user:{user_id}"


class Presence:
    """When each user was last seen, on the service clock (the key's TTL only collects garbage)."""

    def __init__(self, redis: RedisDependency, clock: Clock) -> None:
        self._redis = redis
        self._clock = clock

    async def touch(self, user_id: str) -> None:
        """The user made an authenticated request now."""
        await self._redis.client(RedisDb.LIVE).set(
            _KEY.format(user_id=user_id), repr(self._clock.now()), ex=int(ONLINE_WINDOW_S * 2)
        )

    async def online(self, user_ids: Sequence[str]) -> set[str]:
        """Those of ``user_ids`` seen within the window."""
        if not user_ids:
            return set()
        seen = await self._redis.client(RedisDb.LIVE).mget(
            [_KEY.format(user_id=u) for u in user_ids]
        )
        now = self._clock.now()
        return {
            u
            for u, at in zip(user_ids, seen, strict=True)
            if at is not None and now - float(at) < ONLINE_WINDOW_S
        }
