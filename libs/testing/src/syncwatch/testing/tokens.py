"""Access tokens signed the way the auth service signs them, for tests of other services.

A service under test verifies them with its real ``TokenVerifier`` through ``key_source()`` (the
auth service's own tests cover issuing tokens over its API).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from jwt.algorithms import OKPAlgorithm

from syncwatch.core.clock import Clock
from syncwatch.core.tokens import (
    AUDIENCE,
    ISSUER,
    StaticKeySource,
    VerificationKey,
    jwk_thumbprint,
)


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # a helper, not a test class

    """A signed-in user as other services know one: an id and a username."""

    id: str
    username: str

    @staticmethod
    def new() -> TestUser:
        suffix = uuid.uuid4().hex[:10]
        return TestUser(id=f"u_{suffix}", username=f"user{suffix}")


@dataclass
class TokenSigner:
    """An Ed25519 key with its JWK, signing access tokens on a clock the test controls."""

    clock: Clock
    private_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    def __post_init__(self) -> None:
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        self.jwk = {**jwk, "kid": jwk_thumbprint(jwk), "alg": "EdDSA", "use": "sig"}
        self.kid: str = self.jwk["kid"]

    @classmethod
    def from_key_dir(cls, clock: Clock, key_dir: Path) -> TokenSigner:
        """Sign with the newest key a running auth service keeps in ``key_dir``
        (``<created>-<kid>.pem``), so the stack's own services accept the tokens."""
        newest = sorted(key_dir.glob("*.pem"))[-1]
        key = load_pem_private_key(newest.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise TypeError(f"{newest} is not an Ed25519 key")
        signer = cls(clock, key)
        signer.kid = newest.stem.split("-", 1)[1]
        signer.jwk["kid"] = signer.kid
        return signer

    def key_source(self) -> StaticKeySource:
        """What the service under test verifies with."""
        return StaticKeySource([VerificationKey.from_jwk(self.jwk)])

    def token(self, user: TestUser, *, ttl_s: int = 900, session_id: str | None = None) -> str:
        """An access token for ``user``, valid from the clock's now."""
        now = int(self.clock.now())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": user.id,
            "username": user.username,
            "sid": session_id or f"s_{uuid.uuid4().hex}",
            "jti": uuid.uuid4().hex,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
        }
        return jwt.encode(
            claims, self.private_key, algorithm="EdDSA", headers={"kid": self.kid, "typ": "at+jwt"}
        )

    def auth(self, user: TestUser) -> dict[str, str]:
        """The Authorization header for ``user``."""
        return {"Authorization": f"Bearer {self.token(user)}"}
