"""Redis, one client per logical database, as DESIGN.md §4 splits them by concern."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import redis.asyncio as aioredis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from syncwatch.core.deps import Dependency


class RedisDb(enum.IntEnum):
    """The logical databases (spec §2.3). db1 (pub/sub) and db3 (queues) are replaced by NATS."""

    LIVE = 0  #: live room state and presence
    RATE_LIMITS = 2  #: rate limits and brute-force counters
    SESSIONS = 4  #: sessions and token revocation


#: Connections per logical database and process. Callers beyond it wait for a free one (up to
#: ``POOL_WAIT_S``) instead of failing: a burst of concurrent commands queues, it is not refused.
POOL_SIZE = 64
POOL_WAIT_S = 5.0


class RedisDependency(Dependency):
    """Clients for the databases a service uses, all on one server."""

    name = "redis"

    def __init__(
        self, url: str, databases: Iterable[RedisDb], *, pool_size: int = POOL_SIZE
    ) -> None:
        self.url = url
        self.pool_size = pool_size
        self.databases = tuple(databases)
        if not self.databases:
            raise ValueError("a Redis dependency needs at least one logical database")
        self._clients: dict[RedisDb, aioredis.Redis] = {}

    def client(self, db: RedisDb) -> aioredis.Redis:
        """The client for one logical database; only those declared at construction exist."""
        try:
            return self._clients[db]
        except KeyError:
            raise RuntimeError(
                f"Redis database {db.name} is not declared or not connected"
            ) from None

    async def connect(self) -> None:
        """Create the clients and prove the server answers."""
        await self.close()  # a failed earlier attempt may have left clients behind
        for db in self.databases:
            pool = aioredis.BlockingConnectionPool.from_url(
                self.url,
                db=int(db),
                max_connections=self.pool_size,
                timeout=POOL_WAIT_S,
                socket_connect_timeout=2,
                socket_timeout=5,
                health_check_interval=15,
                retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=2),
            )
            self._clients[db] = aioredis.Redis.from_pool(pool)
        await self.check()

    async def check(self) -> None:
        """``PING`` on every declared database."""
        for client in self._clients.values():
            await client.ping()

    async def close(self) -> None:
        """Close every client."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
