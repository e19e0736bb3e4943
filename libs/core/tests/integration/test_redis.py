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
