"""Sessions: access-token claims, refresh tokens, and what presenting a refresh token means.

A session is a refresh-token family (RFC 9700 §4.14.2): signing in starts one (its id is the access
tokens' ``sid``); each refresh rotates its token; the family ends 7 days after it started, at logout,
at a password change, or when a token that was already rotated is presented again — a sign that it
was stolen — except within a short grace period for the token's immediate successor (two tabs
sharing one cookie refresh at the same moment and must both stay signed in).
"""

from __future__ import annotations

import enum
import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from syncwatch.core.tokens import AUDIENCE, ISSUER

REFRESH_TOKEN_BYTES = 32  # 256 bits
_GRACE_KEY_CONTEXT = b"syncwatch refresh grace v1\x00"


def new_refresh_token() -> str:
    """An opaque refresh token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def refresh_token_hash(token: str) -> bytes:
    """What is stored instead of the token: its SHA-256 (the token is random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).digest()


def _grace_key(token: str) -> bytes:
    # Distinct from the stored hash (another input), so the database alone cannot open the seal.
    return hashlib.sha256(_GRACE_KEY_CONTEXT + token.encode()).digest()


def seal_successor(rotated: str, successor: str) -> bytes:
    """Encrypt ``successor`` so that only someone presenting ``rotated`` can get it back."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_grace_key(rotated)).encrypt(nonce, successor.encode(), None)


def open_successor(rotated: str, sealed: bytes) -> str:
    """The successor sealed by ``seal_successor``; raises when ``rotated`` is not the right token."""
    return AESGCM(_grace_key(rotated)).decrypt(sealed[:12], sealed[12:], None).decode()


class RefreshOutcome(enum.Enum):
    """What to do with a presented refresh token."""

    ROTATE = "rotate"  #: current token: issue its successor
    GRACE = "grace"  #: just rotated, presented again within the grace period: same successor
    REUSE = "reuse"  #: rotated earlier: the family is compromised, revoke it
    INVALID = "invalid"  #: unknown, or its session has ended


@dataclass(frozen=True)
class PresentedToken:
    """A refresh token's row and its session's state, as found in storage."""

    session_revoked: bool
    session_expires_at: float
    rotated_at: float | None
    #: True when the token that replaced this one has not been rotated itself.
    successor_is_current: bool


def classify_refresh(token: PresentedToken | None, now: float, grace_s: float) -> RefreshOutcome:
    """The decision of RFC 9700 §4.14.2 with a grace period for the immediate predecessor."""
    if token is None or token.session_revoked or now >= token.session_expires_at:
        return RefreshOutcome.INVALID
    if token.rotated_at is None:
        return RefreshOutcome.ROTATE
    if token.successor_is_current and now - token.rotated_at <= grace_s:
        return RefreshOutcome.GRACE
    return RefreshOutcome.REUSE


def access_claims(
    *, user_id: str, username: str, session_id: str, now: float, ttl_s: int
) -> dict[str, Any]:
    """The claims of a new access token (RFC 9068 names plus ``sid`` and ``username``)."""
    issued = int(now)
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": user_id,
        "sid": session_id,
        "jti": uuid.uuid4().hex,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_s,
        "username": username,
    }
