import asyncio
import uuid

import pytest

from syncwatch.core.redisdb import RedisDb, RedisDependency

pytestmark = pytest.mark.integration


async def test_each_concern_has_its_own_database(infra) -> None:
    dep = RedisDependency(infra.redis_url, [RedisDb.LIVE, RedisDb.SESSIONS])
    await dep.connect()
    try:
        key = f"test:{uuid.uuid4().hex}"
        await dep.client(RedisDb.LIVE).set(key, "live", ex=60)
        assert await dep.client(RedisDb.SESSIONS).get(key) is None
        assert await dep.client(RedisDb.LIVE).get(key) == b"live"
        assert dep.client(RedisDb.SESSIONS).connection_pool.connection_kwargs["db"] == 4
        with pytest.raises(RuntimeError, match="RATE_LIMITS is not declared"):
            dep.client(RedisDb.RATE_LIMITS)
        await dep.check()
    finally:
        await dep.close()


async def test_more_concurrent_commands_than_connections_wait_their_turn(infra) -> None:
    """Beyond the pool's size callers queue for a connection (they used to get
    ``MaxConnectionsError`` at once: a burst of playback commands failed under load)."""
    dep = RedisDependency(infra.redis_url, [RedisDb.LIVE], pool_size=4)
    await dep.connect()
    try:
        client = dep.client(RedisDb.LIVE)
        key = f"test:{uuid.uuid4().hex}"
        # Each BLPOP holds its connection for 50 ms: 40 of them need 10 rounds of the 4.
        results = await asyncio.gather(*(client.blpop([key], timeout=0.05) for _ in range(40)))
        assert results == [None] * 40
        assert len(client.connection_pool._in_use_connections) == 0
        assert client.connection_pool.max_connections == 4
    finally:
        await dep.close()
