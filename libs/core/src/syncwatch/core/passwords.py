"""argon2id password hashing off the event loop (OWASP Password Storage Cheat Sheet).

Shared by every service that stores a secret someone types: account passwords (auth) and room
passwords (room). ``Argon2Params.OWASP`` is the OWASP cheat sheet's first row (m=19 MiB, t=2, p=1).
Hashing runs in a worker thread so the event loop never waits on it, at most ``max_concurrent`` at a
time so a burst of attempts cannot exhaust memory.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from typing import ClassVar

import argon2
from argon2.exceptions import InvalidHashError, VerificationError


@dataclass(frozen=True)
class Argon2Params:
    """argon2id cost parameters."""

    memory_kib: int
    time_cost: int
    parallelism: int

    #: OWASP's recommended minimum: 19 MiB of memory, 2 iterations, 1 lane (~45 ms here).
    OWASP: ClassVar[Argon2Params]

    def meets_owasp(self) -> bool:
        """True when at least as strong as one of OWASP's equivalent rows.

        The rows trade memory for iterations (m=47104 t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4,
        m=7168 t=5): each needs at least 7 MiB and a memory x time product of about 35 000.
        """
        return (
            self.memory_kib >= 7168
            and self.memory_kib * self.time_cost >= 7168 * 5
            and self.parallelism >= 1
        )


Argon2Params.OWASP = Argon2Params(memory_kib=19456, time_cost=2, parallelism=1)


class PasswordHasher:
    """argon2id hashing off the event loop."""

    def __init__(self, params: Argon2Params, *, max_concurrent: int | None = None) -> None:
        self.params = params
        self._hasher = argon2.PasswordHasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=32,
            salt_len=16,
            type=argon2.Type.ID,
        )
        self._slots = asyncio.Semaphore(max_concurrent or max(2, os.cpu_count() or 2))
        # Made now, not on the first unknown user's sign-in, which would otherwise be slower.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        """A new argon2id hash (PHC string) of ``password``."""
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        """True when ``password`` is exactly the one hashed; a malformed hash is a mismatch."""
        async with self._slots:
            return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify_dummy(self, password: str) -> bool:
        """Spend what a real verification costs, for a user who does not exist; always False.

        Unknown users and wrong passwords then take the same time, so timing does not tell an
        attacker which accounts exist.
        """
        await self.verify(self._dummy, password)
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than the current ones."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
