"""The shared access-token verifier: every forged, stale or misdirected token is a 401, never a 5xx."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from syncwatch.core import errors
from syncwatch.core.clock import ManualClock
from syncwatch.core.tokens import (
    AUDIENCE,
    ISSUER,
    MAX_TOKEN_BYTES,
    StaticKeySource,
    TokenVerifier,
    VerificationKey,
    bearer_token,
    jwk_thumbprint,
)

NOW = 1_700_000_000
PRIVATE = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()


def _public_jwk(private: Ed25519PrivateKey) -> dict[str, Any]:
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return {**jwk, "kid": jwk_thumbprint(jwk), "alg": "EdDSA", "use": "sig"}


JWK = _public_jwk(PRIVATE)
KID = JWK["kid"]


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u_1",
        "sid": "s_1",
        "jti": "j_1",
        "iat": NOW,
        "nbf": NOW,
        "exp": NOW + 900,
        "username": "ann",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(claims: dict[str, Any] | None = None, key=PRIVATE, **headers: Any) -> str:
    hdrs = {"kid": KID, "typ": "at+jwt", **headers}
    return jwt.encode(claims or _claims(), key, algorithm="EdDSA", headers=hdrs)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict[str, Any], payload: dict[str, Any], secret: bytes | None) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret else b""
    return f"{signing_input}.{_b64(signature)}"


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "u_admin"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def _verifier(clock: ManualClock | None = None) -> TokenVerifier:
    keys = StaticKeySource([VerificationKey.from_jwk(JWK)])
    return TokenVerifier(keys, clock or ManualClock(start=NOW), revocations=None)


async def test_a_good_token_gives_its_claims() -> None:
    claims = await _verifier().verify(_sign())
    assert (claims.user_id, claims.session_id, claims.username) == ("u_1", "s_1", "ann")
    assert claims.expires_at == NOW + 900


PUBLIC_PEM = PRIVATE.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
PUBLIC_RAW = PRIVATE.public_key().public_bytes(
    serialization.Encoding.Raw, serialization.PublicFormat.Raw
)
HS_HEADER = {"alg": "HS256", "typ": "at+jwt", "kid": KID}

REFUSED = {
    "alg none": _forge({"alg": "none", "typ": "at+jwt", "kid": KID}, _claims(), None),
    "alg None with signature dropped": _sign().rsplit(".", 1)[0] + ".",
    "HS256 with the public key (PEM)": _forge(HS_HEADER, _claims(), PUBLIC_PEM),
    "HS256 with the public key (raw)": _forge(HS_HEADER, _claims(), PUBLIC_RAW),
    "unknown kid": _sign(kid="not-a-known-key"),
    "no kid": jwt.encode(_claims(), PRIVATE, algorithm="EdDSA", headers={"typ": "at+jwt"}),
    "signed by another key": _sign(key=OTHER),
    "tampered payload": _tamper(_sign()),
    "expired": _sign(_claims(iat=NOW - 1000, nbf=NOW - 1000, exp=NOW - 100)),
    "expires exactly now": _sign(_claims(iat=NOW - 900, nbf=NOW - 900, exp=NOW)),
    "future nbf": _sign(_claims(nbf=NOW + 60)),
    "future iat": _sign(_claims(iat=NOW + 60)),
    "wrong aud": _sign(_claims(aud="someone-else")),
    "wrong iss": _sign(_claims(iss="https://evil.example")),
    "wrong typ (JWT)": _sign(typ="JWT"),
    "no typ": jwt.encode(_claims(), PRIVATE, algorithm="EdDSA", headers={"kid": KID}),
    "crit header": _sign(crit=["exp"]),
    "missing sid": _sign(_claims(sid=None)),
    "missing jti": _sign(_claims(jti=None)),
    "missing sub": _sign(_claims(sub=None)),
    "empty sub": _sign(_claims(sub="")),
    "missing exp": _sign(_claims(exp=None)),
    "string exp": _sign(_claims(exp=str(NOW + 900))),
    "float exp": _sign(_claims(exp=NOW + 900.5)),
    "lifetime too long": _sign(_claims(exp=NOW + 86_400)),
    "oversized": _sign(_claims(pad="x" * MAX_TOKEN_BYTES)),
    "garbage": "not.a.jwt",
    "one segment": "abc",
    "empty": "",
    "non-ascii": "é.é.é",
    "bad base64 header": "!!!." + _sign().split(".", 1)[1],
    "header not an object": f"{_b64(b'[1]')}.{_b64(b'{}')}.",
    "payload not json": _sign().split(".")[0] + "." + _b64(b"nope") + "." + _sign().split(".")[2],
}


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_refused_tokens_are_401(case: str) -> None:
    with pytest.raises(errors.Unauthenticated) as exc:
        await _verifier().verify(REFUSED[case])
    assert exc.value.http_status == 401
    assert exc.value.code == "auth_required"


async def test_leeway_covers_small_clock_differences_only() -> None:
    assert await _verifier().verify(_sign(_claims(nbf=NOW + 3, iat=NOW + 3)))


async def test_expiry_follows_the_clock() -> None:
    clock = ManualClock(start=NOW)
    verifier = _verifier(clock)
    token = _sign()
    await verifier.verify(token)
    clock.advance(899)
    await verifier.verify(token)
    clock.advance(1)
    with pytest.raises(errors.Unauthenticated, match="expired"):
        await verifier.verify(token)


def test_keys_outside_the_allowlist_are_refused() -> None:
    with pytest.raises(ValueError, match="allowed alg"):
        VerificationKey.from_jwk({**JWK, "alg": "HS256"})
    with pytest.raises(ValueError, match="allowed alg"):
        VerificationKey.from_jwk({"kty": "oct", "k": "c2VjcmV0", "kid": "k", "alg": "HS256"})
    with pytest.raises(ValueError, match="private key"):
        VerificationKey.from_jwk({**JWK, "d": "AAAA"})


def test_thumbprint_matches_rfc_7638_example() -> None:
    # RFC 7638 §3.1's RSA example key and its published thumbprint.
    jwk = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("BEARER x.y.z", "x.y.z")],
)
def test_bearer_token(header: str, token: str) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer   ", "abc"])
def test_bearer_token_missing(header: str | None) -> None:
    with pytest.raises(errors.Unauthenticated):
        bearer_token(header)
