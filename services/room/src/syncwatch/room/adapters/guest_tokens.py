"""Guest tokens: short-lived JWTs the room service signs for guests, bound to one room.

HS256 with a secret of the room service's own (``ROOM_GUEST_TOKEN_SECRET`` or ``…_FILE``): the room
service is the only party that issues and verifies them (other services ask it over gRPC), so a
shared secret between its replicas is enough and there are no public keys to publish or rotate. The
header's ``typ`` is ``guest+jwt`` and the issuer ``syncwatch-room``, so a guest token can never pass
as an access token (the shared TokenVerifier accepts only EdDSA/ES256 ``at+jwt`` from auth), and an
access token never as a guest token (its algorithm and type differ).

Claims: ``sub`` the guest identity (``g_…``), ``room`` the room id, ``mid`` the member id, ``name``
the guest's name, ``iat``/``nbf``/``exp``, ``jti``. Being signed is not enough: every use also checks
that the member is still in the room (a kicked or departed guest's token stops working at once).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import jwt

from syncwatch.core import errors
from syncwatch.core.clock import Clock
from syncwatch.core.tokens import GUEST_TOKEN_TYPE, is_guest_token

__all__ = ["GUEST_TOKEN_TYPE", "GuestClaims", "GuestTokens", "is_guest_token"]

ISSUER = "syncwatch-room"
AUDIENCE = "syncwatch"
ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
_REQUIRED = ("iss", "aud", "sub", "room", "mid", "iat", "nbf", "exp", "jti")


@dataclass(frozen=True)
class GuestClaims:
    """What a valid guest token says."""

    guest_id: str
    room_id: str
    member_id: str
    name: str
    expires_at: int


def _check_header(header: dict[str, Any]) -> None:
    if header.get("typ") != GUEST_TOKEN_TYPE or header.get("alg") != ALGORITHM:
        raise ValueError("not a guest token")


class GuestTokens:
    """Issues and verifies guest tokens with the injected clock."""

    def __init__(self, secret: bytes, clock: Clock, *, ttl_s: int) -> None:
        self._secret = secret
        self._clock = clock
        self.ttl_s = ttl_s

    def issue(self, *, guest_id: str, room_id: str, member_id: str, name: str) -> str:
        """A fresh token for this guest's stay in this room."""
        now = int(self._clock.now())
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": guest_id,
            "room": room_id,
            "mid": member_id,
            "name": name,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl_s,
            "jti": secrets.token_hex(12),
        }
        return jwt.encode(payload, self._secret, ALGORITHM, headers={"typ": GUEST_TOKEN_TYPE})

    def verify(self, token: str) -> GuestClaims:
        """The claims of a validly signed, unexpired guest token; ``errors.Unauthenticated`` if not."""
        try:
            header = jwt.get_unverified_header(token)
            _check_header(header)
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "require": list(_REQUIRED),
                },
            )
            claims = GuestClaims(
                guest_id=str(payload["sub"]),
                room_id=str(payload["room"]),
                member_id=str(payload["mid"]),
                name=str(payload.get("name", "")),
                expires_at=int(payload["exp"]),
            )
            not_before = int(payload["nbf"])
        except Exception as exc:  # any bad signature or claim is a 401, never a 500
            raise errors.Unauthenticated("invalid guest token") from exc
        now = self._clock.now()
        if now >= claims.expires_at:
            raise errors.Unauthenticated("the guest token has expired")
        if not_before > now + 30:
            raise errors.Unauthenticated("invalid guest token")
        return claims
