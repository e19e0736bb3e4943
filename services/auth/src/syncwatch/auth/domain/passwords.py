"""Password rules and argon2id hashing (ASVS 5.0 §6.2, OWASP Password Storage Cheat Sheet).

Rules: 8 to 128 characters (code points), any Unicode, compared exactly as given — no normalisation,
no truncation, no composition rules — and refused when it is a common password. The common list is
zxcvbn's frequency list of leaked passwords (30 000 entries), of which those of 8 characters or more
(about 11 600) can pass the length rule; it is compared case-insensitively, so "Password1" is refused
like "password1".

Hashing is argon2id through ``syncwatch.core.passwords`` (shared with the room service's room
passwords), re-exported here.
"""

from __future__ import annotations

import functools

from syncwatch.core.passwords import Argon2Params, PasswordHasher

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "Argon2Params",
    "PasswordHasher",
    "common_passwords",
    "password_problem",
]

MIN_LENGTH = 8
MAX_LENGTH = 128


@functools.cache
def common_passwords() -> frozenset[str]:
    """The refusal list: zxcvbn's common passwords long enough to pass the length rule."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]  # no stubs published

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_LENGTH)


def password_problem(password: str) -> str | None:
    """Why ``password`` may not be used, in words for the person choosing it; None when it may."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    if password.lower() in common_passwords():
        return "this password is too common; choose one that is not on lists of leaked passwords"
    return None
