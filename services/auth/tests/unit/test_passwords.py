"""Password rules and argon2id hashing, with the production (OWASP) parameters."""

from __future__ import annotations

import threading

import argon2
import pytest

from syncwatch.auth.domain.passwords import (
    MAX_LENGTH,
    Argon2Params,
    PasswordHasher,
    common_passwords,
    password_problem,
)
from syncwatch.auth.service import Settings

EMOJI = "😀🎬🍿🎉🔥🌈🚀🐙"


async def test_64_emoji_verify_exactly_with_owasp_parameters() -> None:
    hasher = PasswordHasher(Argon2Params.OWASP)
    password = EMOJI * 8  # 64 emoji: 64 characters, 256 bytes of UTF-8
    assert len(password) == 64
    assert password_problem(password) is None
    stored = await hasher.hash(password)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await hasher.verify(stored, password)
    assert not await hasher.verify(stored, password[:63])  # no truncation
    assert not await hasher.verify(stored, password + "😀")
    assert not hasher.needs_rehash(stored)


async def test_unicode_is_compared_as_given_without_normalisation() -> None:
    hasher = PasswordHasher(Argon2Params(memory_kib=256, time_cost=1, parallelism=1))
    composed = "caf\u00e9 au lait noir"  # é as one code point
    decomposed = "cafe\u0301 au lait noir"  # e + combining accent: looks the same
    stored = await hasher.hash(composed)
    assert await hasher.verify(stored, composed)
    assert not await hasher.verify(stored, decomposed)
    assert not await hasher.verify(stored, composed.upper())


async def test_hashing_runs_off_the_event_loop(monkeypatch) -> None:
    hasher = PasswordHasher(Argon2Params(memory_kib=256, time_cost=1, parallelism=1))
    threads: list[int] = []
    real_hash, real_verify = argon2.PasswordHasher.hash, argon2.PasswordHasher.verify

    def hash_spy(self, password, **kw):
        threads.append(threading.get_ident())
        return real_hash(self, password, **kw)

    def verify_spy(self, stored, password):
        threads.append(threading.get_ident())
        return real_verify(self, stored, password)

    monkeypatch.setattr(argon2.PasswordHasher, "hash", hash_spy)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify_spy)
    stored = await hasher.hash("a perfectly fine passphrase")
    assert await hasher.verify(stored, "a perfectly fine passphrase")
    assert len(threads) == 2
    assert threading.get_ident() not in threads


async def test_dummy_verification_is_always_false_and_malformed_hashes_do_not_raise() -> None:
    hasher = PasswordHasher(Argon2Params(memory_kib=256, time_cost=1, parallelism=1))
    assert await hasher.verify_dummy("anything") is False
    assert await hasher.verify("not-a-hash", "anything") is False
    assert hasher.needs_rehash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("seven77", "at least 8"),
        ("x" * (MAX_LENGTH + 1), "at most 128"),
        ("password", "too common"),
        ("Password1", "too common"),
        ("ILOVEYOU", "too common"),
        ("trustno1", "too common"),
    ],
)
def test_refused_passwords(password: str, problem: str) -> None:
    assert problem in (password_problem(password) or "")


@pytest.mark.parametrize(
    "password",
    ["eight ch", "x" * MAX_LENGTH, "correct horse battery staple", "        ", "ünïcödé✓✓"],
)
def test_accepted_passwords(password: str) -> None:
    # No composition rules: spaces only, one letter repeated, anything of the right length.
    assert password_problem(password) is None


def test_common_list_comes_from_zxcvbn_and_holds_only_passable_lengths() -> None:
    common = common_passwords()
    assert 10_000 < len(common) < 30_000
    assert "password" in common
    assert min(len(p) for p in common) == 8


@pytest.mark.parametrize(
    ("memory", "time", "ok"),
    [
        (19456, 2, True),
        (47104, 1, True),
        (7168, 5, True),
        (9216, 4, True),
        (19456, 1, False),
        (4096, 10, False),
    ],
)
def test_owasp_floor(memory: int, time: int, ok: bool) -> None:
    assert Argon2Params(memory, time, 1).meets_owasp() is ok


def test_settings_refuse_weaker_than_owasp() -> None:
    base = {"database_url": "x", "redis_url": "x", "nats_url": "x", "signing_key_dir": "x"}
    assert Settings(**base).argon2_params == Argon2Params.OWASP
    with pytest.raises(ValueError, match="OWASP"):
        Settings(**base, argon2_memory_kib=1024, argon2_time_cost=1)
