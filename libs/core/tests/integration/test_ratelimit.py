"""Rate limits and failure backoff in real Redis, on a clock the test moves."""

import uuid

import pytest

from syncwatch.core import errors
from syncwatch.core.ratelimit import BackoffPolicy, FailureBackoff, RateLimiter
from syncwatch.core.redisdb import RedisDb, RedisDependency

pytestmark = pytest.mark.integration


@pytest.fixture
async def redis(infra):
    dep = RedisDependency(infra.redis_url, [RedisDb.RATE_LIMITS])
    await dep.connect()
    yield dep
    await dep.close()


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


async def test_sliding_window_allows_limit_then_denies_until_the_oldest_leaves(
    redis, manual_clock
) -> None:
    limiter = RateLimiter(redis, manual_clock)
    key = _key()
    decisions = []
    for _ in range(3):
        decisions.append(await limiter.hit(key, 3, 60))
        manual_clock.advance(10)
    assert [d.allowed for d in decisions] == [True, True, True]
    assert [d.remaining for d in decisions] == [2, 1, 0]

    denied = await limiter.hit(key, 3, 60)  # t=30: hits at 0, 10, 20 are all in the window
    assert (denied.allowed, denied.retry_after_s, denied.remaining) == (False, 30, 0)
    with pytest.raises(errors.RateLimited) as exc:
        denied.raise_if_denied()
    assert exc.value.retry_after == 30

    manual_clock.advance(30)  # t=60: the hit at 0 has left the window
    assert (await limiter.hit(key, 3, 60)).allowed
    assert not (await limiter.hit(key, 3, 60)).allowed


async def test_denied_hits_are_not_counted_and_release_gives_a_hit_back(
    redis, manual_clock
) -> None:
    limiter = RateLimiter(redis, manual_clock)
    key = _key()
    first = await limiter.hit(key, 1, 60)
    for _ in range(5):
        assert not (await limiter.hit(key, 1, 60)).allowed
    assert first.entry is not None
    await limiter.release(key, first.entry)
    assert (await limiter.hit(key, 1, 60)).allowed


async def test_keys_are_independent_and_reset_forgets(redis, manual_clock) -> None:
    limiter = RateLimiter(redis, manual_clock)
    a, b = _key(), _key()
    assert (await limiter.hit(a, 1, 60)).allowed
    assert (await limiter.hit(b, 1, 60)).allowed
    assert not (await limiter.hit(a, 1, 60)).allowed
    await limiter.reset(a)
    assert (await limiter.hit(a, 1, 60)).allowed


async def test_backoff_starts_after_the_free_failures_and_doubles(redis, manual_clock) -> None:
    backoff = FailureBackoff(redis, manual_clock, BackoffPolicy(free_failures=5, base_s=1, max_s=4))
    subject = _key()
    for n in range(4):
        decision = await backoff.record_failure(subject)
        assert decision.allowed, n
    assert (await backoff.check(subject)).remaining == 1

    fifth = await backoff.record_failure(subject)
    assert (fifth.allowed, fifth.retry_after_s) == (False, 1)
    assert not (await backoff.check(subject)).allowed
    manual_clock.advance(1)
    assert (await backoff.check(subject)).allowed

    sixth = await backoff.record_failure(subject)
    assert sixth.retry_after_s == 2
    manual_clock.advance(2)
    assert (await backoff.record_failure(subject)).retry_after_s == 4  # seventh
    manual_clock.advance(4)
    assert (await backoff.record_failure(subject)).retry_after_s == 4  # capped at max_s

    await backoff.reset(subject)
    assert (await backoff.check(subject)).allowed
    assert (await backoff.check(subject)).remaining == 5


def test_policy_delays() -> None:
    policy = BackoffPolicy()
    assert [policy.delay_s(n) for n in (0, 4, 5, 6, 7)] == [0, 0, 1, 2, 4]
    assert policy.delay_s(10_000) == 15 * 60
