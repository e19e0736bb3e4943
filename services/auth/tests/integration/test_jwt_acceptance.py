"""Tokens the real service must refuse on /api/auth/me: every one is 401, none a 5xx."""

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

from syncwatch.core.tokens import AUDIENCE, ISSUER

pytestmark = pytest.mark.integration


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


async def test_jwt_acceptance_table(auth) -> None:
    async with auth.client() as client:
        session = await auth.register(client)
        good = session["accessToken"]
        assert (await client.get("/api/auth/me", headers=auth.bearer(session))).status_code == 200

        key = await auth.accounts.keys.active()
        claims = jwt.decode(good, options={"verify_signature": False})
        now = int(auth.clock.now())

        def sign(
            changes: dict[str, Any] | None = None, signer=key.private_key, **headers: Any
        ) -> str:
            body = {**claims, **(changes or {})}
            body = {k: v for k, v in body.items() if v is not None}
            hdrs = {"kid": key.kid, "typ": "at+jwt", **headers}
            return jwt.encode(body, signer, algorithm="EdDSA", headers=hdrs)

        header, payload, signature = good.split(".")
        tampered_claims = {**claims, "sub": "u_someone_else"}
        public_pem = key.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        jwks_x = base64.urlsafe_b64decode(key.public.jwk["x"] + "==")
        table = {
            "alg none": f"{_b64(json.dumps({'alg': 'none', 'typ': 'at+jwt', 'kid': key.kid}).encode())}.{payload}.",
            "HS256 signed with the public key (PEM)": _hs256(
                {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}, claims, public_pem
            ),
            "HS256 signed with the public key (JWK x)": _hs256(
                {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}, claims, jwks_x
            ),
            "unknown kid": sign(kid="no-such-key"),
            "signed by a stranger's key": sign(signer=Ed25519PrivateKey.generate()),
            "tampered payload": f"{header}.{_b64(json.dumps(tampered_claims).encode())}.{signature}",
            "expired": sign({"iat": now - 1000, "nbf": now - 1000, "exp": now - 100}),
            "future nbf": sign({"nbf": now + 120}),
            "wrong aud": sign({"aud": "another-api"}),
            "wrong iss": sign({"iss": "https://issuer.example"}),
            "wrong typ": sign(typ="JWT"),
            "oversized": sign({"padding": "x" * 9000}),
            "no sid": sign({"sid": None}),
            "garbage": "a.b.c",
        }
        assert claims["iss"] == ISSUER
        assert claims["aud"] == AUDIENCE
        results = {}
        for case, token in table.items():
            resp = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
            results[case] = (resp.status_code, resp.json().get("code"))
        assert results == dict.fromkeys(table, (401, "auth_required"))
        # The same forgeries over gRPC's ValidateToken are refused too (see test_grpc).
