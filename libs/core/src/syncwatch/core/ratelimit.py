"""Rate limits and brute-force backoff in Redis (db2, spec §7.6 / §7.7.3), on an injectable clock.

Two tools, both atomic in Redis (one Lua script per operation) so that replicas share one count:

- ``RateLimiter.hit``: a sliding-window log — at most ``limit`` hits in any ``window_s`` seconds.
- ``FailureBackoff``: consecutive failures of one subject (a login identifier, a room password); after
  ``free_failures`` of them every further attempt must wait ``base_s`` doubling up to ``max_s``, until
  a success resets the count.

Time always comes from the service's Clock, never from Redis ``TIME``, so tests move time by hand.
Key expiry (Redis TTLs) only collects garbage; the decision is always made from the stored times.
Whether a denial becomes ``errors.RateLimited`` is the caller's choice; ``Decision.error()`` builds it.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from syncwatch.core import errors
from syncwatch.core.clock import Clock
from syncwatch.core.redisdb import RedisDb, RedisDependency

KEY_PREFIX = "rl:"

# KEYS[1]: the window's sorted set (member = one hit, score = its time in ms).
# ARGV: now_ms, window_ms, limit, member. Returns {allowed, retry_after_ms, remaining}.
_SLIDING_WINDOW = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, 0, limit - count - 1}
end
local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now, 0}
"""

# KEYS[1]: the subject's hash {n: consecutive failures, at: time of the last one in ms}.
# ARGV: now_ms, memory_ms. Returns the new count.
_RECORD_FAILURE = """
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n
"""


@dataclass(frozen=True)
class Decision:
    """The answer to one check: may the caller go ahead, and if not, for how long must it wait."""

    allowed: bool
    #: Whole seconds until a retry can succeed (0 when allowed; at least 1 when not).
    retry_after_s: int
    #: Hits left in the window after this one (rate limiter), or failures left before the backoff
    #: starts (failure backoff).
    remaining: int
    #: Identifies the hit recorded by ``RateLimiter.hit``, for ``RateLimiter.release``.
    entry: str | None = None

    def error(self, message: str = "too many requests, try again later") -> errors.RateLimited:
        """The typed 429 for this denial."""
        return errors.RateLimited(message, retry_after=max(1, self.retry_after_s))

    def raise_if_denied(self, message: str = "too many requests, try again later") -> None:
        """Raise ``errors.RateLimited`` (with ``Retry-After``) when this decision is a denial."""
        if not self.allowed:
            raise self.error(message)


def _seconds(ms: float) -> int:
    return max(1, math.ceil(ms / 1000))


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


async def _run(client: Any, script: str, keys: list[str], args: list[Any]) -> Any:
    # register_script only hashes the text; EVALSHA with a fallback to loading it.
    return await client.register_script(script)(keys=keys, args=args)


class RateLimiter:
    """Sliding-window limits: ``await limiter.hit("login:ip:1.2.3.4", 20, 60)``."""

    def __init__(self, redis: RedisDependency, clock: Clock, *, prefix: str = KEY_PREFIX) -> None:
        self._redis = redis
        self._clock = clock
        self._prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self._prefix}{key}"

    async def hit(self, key: str, limit: int, window_s: float) -> Decision:
        """Record one hit under ``key`` unless ``limit`` hits already fall in the last ``window_s``.

        A denied hit is not recorded, so a client that keeps trying is not locked out for longer.
        """
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs limit >= 1 and a positive window")
        now = _ms(self._clock.now())
        entry = f"{now}:{secrets.token_hex(6)}"
        allowed, retry_ms, remaining = await _run(
            self._redis.client(RedisDb.RATE_LIMITS),
            _SLIDING_WINDOW,
            [self._key(key)],
            [now, _ms(window_s), limit, entry],
        )
        if allowed:
            return Decision(True, 0, int(remaining), entry)
        return Decision(False, _seconds(float(retry_ms)), 0)

    async def release(self, key: str, entry: str) -> None:
        """Take back a hit, e.g. an attempt reserved before it was known to be a success."""
        await self._redis.client(RedisDb.RATE_LIMITS).zrem(self._key(key), entry)

    async def reset(self, key: str) -> None:
        """Forget every hit under ``key``."""
        await self._redis.client(RedisDb.RATE_LIMITS).delete(self._key(key))


@dataclass(frozen=True)
class BackoffPolicy:
    """How failures turn into waiting: free ones, then ``base_s`` doubling up to ``max_s``."""

    free_failures: int = 5
    base_s: float = 1.0
    max_s: float = 15 * 60
    #: How long a run of failures is remembered after the last one.
    memory_s: float = 24 * 3600

    def delay_s(self, failures: int) -> float:
        """Seconds an attempt must wait after the last of ``failures`` consecutive failures."""
        if failures < self.free_failures:
            return 0.0
        exponent = failures - self.free_failures
        # Cap the exponent first: 2**n for a huge n would overflow a float.
        return min(self.max_s, self.base_s * float(2 ** min(exponent, 62)))


class FailureBackoff:
    """Exponential backoff after consecutive failures of one subject, shared by every replica."""

    def __init__(
        self,
        redis: RedisDependency,
        clock: Clock,
        policy: BackoffPolicy | None = None,
        *,
        prefix: str = f"{KEY_PREFIX}backoff:",
    ) -> None:
        self._redis = redis
        self._clock = clock
        self.policy = policy or BackoffPolicy()
        self._prefix = prefix

    def _key(self, subject: str) -> str:
        return f"{self._prefix}{subject}"

    def _decide(self, failures: int, last_ms: int | None) -> Decision:
        remaining = max(0, self.policy.free_failures - failures)
        delay = self.policy.delay_s(failures)
        if delay <= 0 or last_ms is None:
            return Decision(True, 0, remaining)
        wait_ms = last_ms + _ms(delay) - _ms(self._clock.now())
        if wait_ms <= 0:
            return Decision(True, 0, remaining)
        return Decision(False, _seconds(wait_ms), remaining)

    async def check(self, subject: str) -> Decision:
        """May ``subject`` try now? Records nothing."""
        raw = await self._redis.client(RedisDb.RATE_LIMITS).hmget(self._key(subject), "n", "at")
        failures = int(raw[0]) if raw[0] is not None else 0
        last = int(raw[1]) if raw[1] is not None else None
        return self._decide(failures, last)

    async def record_failure(self, subject: str) -> Decision:
        """Count one more failure; the answer says when the next attempt may come."""
        now = _ms(self._clock.now())
        failures = await _run(
            self._redis.client(RedisDb.RATE_LIMITS),
            _RECORD_FAILURE,
            [self._key(subject)],
            [now, _ms(self.policy.memory_s)],
        )
        return self._decide(int(failures), now)

    async def reset(self, subject: str) -> None:
        """A success: the run of failures is over."""
        await self._redis.client(RedisDb.RATE_LIMITS).delete(self._key(subject))


def limit_by_client_ip(
    limiter: RateLimiter, *, scope: str, limit: int, window_s: float
) -> Callable[[Any], Awaitable[None]]:
    """A Litestar ``before_request`` hook: at most ``limit`` requests per client IP per window.

    The client IP is ``request.client.host``, which uvicorn takes from ``X-Forwarded-For`` only when
    the peer is a trusted proxy (see ``syncwatch.core.http``). Use it on a Router or a handler.
    """

    async def before_request(request: Any) -> None:
        host = request.client.host if request.client else "unknown"
        decision = await limiter.hit(f"{scope}:ip:{host}", limit, window_s)
        decision.raise_if_denied()

    return before_request
