"""Brute-force guards in Redis (db2, spec §7.7.3): so many failures in a window, then a block.

``RateLimiter`` counts the failures (a sliding window, shared by replicas); when a failure fills the
window the subject is blocked until ``now + block_s``, stored as a time from the service's Clock —
never a Redis TTL decision — so tests move time by hand. The key's TTL only collects garbage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from syncwatch.core.clock import Clock
from syncwatch.core.ratelimit import Decision, RateLimiter
from syncwatch.core.redisdb import RedisDb, RedisDependency

KEY_PREFIX = "rl:room-block:"


@dataclass(frozen=True)
class GuardRule:
    """``limit`` failures within ``window_s`` block the subject for ``block_s``."""

    name: str
    limit: int
    window_s: float
    block_s: float


class FailureGuard:
    """Counts failures per subject and blocks the subject once a rule's limit is reached."""

    def __init__(self, redis: RedisDependency, limiter: RateLimiter, clock: Clock) -> None:
        self._redis = redis
        self._limiter = limiter
        self._clock = clock

    def _block_key(self, rule: GuardRule, subject: str) -> str:
        return f"{KEY_PREFIX}{rule.name}:{subject}"

    async def check(self, rule: GuardRule, subject: str) -> Decision:
        """Whether ``subject`` may try now (records nothing)."""
        raw = await self._redis.client(RedisDb.RATE_LIMITS).get(self._block_key(rule, subject))
        if raw is None:
            return Decision(True, 0, rule.limit)
        wait_s = float(raw) - self._clock.now()
        if wait_s <= 0:
            return Decision(True, 0, rule.limit)
        return Decision(False, max(1, math.ceil(wait_s)), 0)

    async def record_failure(self, rule: GuardRule, subject: str) -> None:
        """One more failure; the one that reaches the limit starts the block."""
        decision = await self._limiter.hit(f"{rule.name}:{subject}", rule.limit, rule.window_s)
        if not decision.allowed or decision.remaining == 0:
            until = self._clock.now() + rule.block_s
            await self._redis.client(RedisDb.RATE_LIMITS).set(
                self._block_key(rule, subject), repr(until), px=int(rule.block_s * 1000) + 60_000
            )
            await self._limiter.reset(f"{rule.name}:{subject}")
