"""Account rules: identifiers, email and username validation, login-identifier normalisation."""

from __future__ import annotations

import hashlib
import re
import secrets

USERNAME_RULE = "3 to 32 characters: letters, digits, '_', '.', '-'"
_USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,32}")
# Deliberately loose (RFC 5321 allows far more than any regex should try): one @, a dot in the
# domain, no spaces or control characters. Whether it is deliverable only a sent mail can tell.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
MAX_EMAIL = 254


def new_id(prefix: str) -> str:
    """A random id like ``u_5f0c…`` (96 bits), safe in URLs and NATS subjects."""
    return f"{prefix}_{secrets.token_hex(12)}"


def email_problem(email: str) -> str | None:
    """Why ``email`` is not acceptable, or None."""
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        return "enter a valid email address"
    return None


def username_problem(username: str) -> str | None:
    """Why ``username`` is not acceptable, or None."""
    if not _USERNAME.fullmatch(username):
        return f"use {USERNAME_RULE}"
    return None


def login_key(identifier: str) -> str:
    """The normalised form of what someone typed to sign in (an email or a username)."""
    return identifier.strip().lower()


def throttle_subject(identifier: str) -> str:
    """A Redis-safe key for a login identifier that does not store the email in clear."""
    return hashlib.sha256(login_key(identifier).encode()).hexdigest()[:32]
