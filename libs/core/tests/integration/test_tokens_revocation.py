"""Revocation in real Redis, keys over real gRPC, and the Litestar dependency around the verifier."""

from __future__ import annotations

import json
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from litestar import get
from litestar.testing import AsyncTestClient

from syncwatch.core import errors
from syncwatch.core.clock import ManualClock
from syncwatch.core.deps import DependencySupervisor
from syncwatch.core.grpc import GrpcServer
from syncwatch.core.http import create_http_app
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.tokens import (
    AUDIENCE,
    ISSUER,
    AccessClaims,
    CurrentUser,
    GrpcKeySource,
    RevocationStore,
    StaticKeySource,
    TokenVerifier,
    VerificationKey,
    jwk_thumbprint,
    require_user,
)
from syncwatch.devstack.ports import free_port
from syncwatch.proto.auth.v1 import auth_pb2, auth_pb2_grpc

pytestmark = pytest.mark.integration

NOW = 1_700_000_000


def _key() -> tuple[Ed25519PrivateKey, dict]:
    private = Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return private, {**jwk, "kid": jwk_thumbprint(jwk), "alg": "EdDSA", "use": "sig"}


def _token(private, jwk, *, user: str, sid: str, iat: int = NOW) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": user,
        "sid": sid,
        "jti": uuid.uuid4().hex,
        "iat": iat,
        "nbf": iat,
        "exp": iat + 900,
    }
    return jwt.encode(
        claims, private, algorithm="EdDSA", headers={"kid": jwk["kid"], "typ": "at+jwt"}
    )


@pytest.fixture
async def redis(infra):
    dep = RedisDependency(infra.redis_url, [RedisDb.SESSIONS])
    await dep.connect()
    yield dep
    await dep.close()


async def test_session_denylist_and_user_not_before(redis) -> None:
    private, jwk = _key()
    clock = ManualClock(start=NOW)
    store = RevocationStore(redis)
    verifier = TokenVerifier(StaticKeySource([VerificationKey.from_jwk(jwk)]), clock, store)
    user, other_user = f"u_{uuid.uuid4().hex}", f"u_{uuid.uuid4().hex}"
    sid_a, sid_b = uuid.uuid4().hex, uuid.uuid4().hex
    a = _token(private, jwk, user=user, sid=sid_a)
    b = _token(private, jwk, user=user, sid=sid_b)
    await verifier.verify(a)

    await store.revoke_session(sid_a, 900)
    with pytest.raises(errors.Unauthenticated, match="session has ended"):
        await verifier.verify(a)
    await verifier.verify(b)

    clock.advance(10)
    await store.revoke_user_before(user, NOW + 10, 900)
    with pytest.raises(errors.Unauthenticated):
        await verifier.verify(b)
    await verifier.verify(_token(private, jwk, user=user, sid=sid_b, iat=NOW + 10))
    await verifier.verify(_token(private, jwk, user=other_user, sid=sid_b + "x"))


async def test_redis_down_is_unavailable_not_unauthenticated(infra) -> None:
    private, jwk = _key()
    dep = RedisDependency(infra.redis_url, [RedisDb.SESSIONS])  # never connected
    verifier = TokenVerifier(
        StaticKeySource([VerificationKey.from_jwk(jwk)]),
        ManualClock(start=NOW),
        RevocationStore(dep),
    )
    with pytest.raises(errors.Unavailable):
        await verifier.verify(_token(private, jwk, user="u_1", sid="s_1"))


class _Keys(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self) -> None:
        self.published: list[dict] = []
        self.calls = 0

    async def GetSigningKeys(self, request, context):  # type: ignore[override]
        self.calls += 1
        return auth_pb2.GetSigningKeysResponse(
            keys=[
                auth_pb2.SigningKey(kid=k["kid"], algorithm=k["alg"], jwk_json=json.dumps(k))
                for k in self.published
            ]
        )


async def test_grpc_key_source_refreshes_on_unknown_kid_at_most_once_per_interval() -> None:
    servicer = _Keys()
    port = free_port()
    server = GrpcServer(
        host="127.0.0.1",
        port=port,
        registrations=[lambda s: auth_pb2_grpc.add_AuthServiceServicer_to_server(servicer, s)],
    )
    await server.start()
    clock = ManualClock(start=NOW)
    source = GrpcKeySource(f"127.0.0.1:{port}", clock, min_refresh_interval_s=30, max_age_s=600)
    verifier = TokenVerifier(source, clock, None)
    try:
        old_private, old_jwk = _key()
        servicer.published = [old_jwk]
        await verifier.verify(_token(old_private, old_jwk, user="u_1", sid="s"))
        await verifier.verify(_token(old_private, old_jwk, user="u_1", sid="s"))
        assert servicer.calls == 1

        # A made-up kid: one refresh, then none until the interval has passed.
        for _ in range(5):
            with pytest.raises(errors.Unauthenticated):
                await verifier.verify(_token(old_private, {"kid": "made-up"}, user="u", sid="s"))
        assert servicer.calls == 1  # the first call was less than 30 s ago

        # The auth service rotates: the new kid is found once the interval allows a refresh.
        new_private, new_jwk = _key()
        servicer.published = [new_jwk, old_jwk]
        clock.advance(30)
        await verifier.verify(_token(new_private, new_jwk, user="u_1", sid="s"))
        assert servicer.calls == 2

        # The old key is withdrawn; after max_age the cache forgets it.
        servicer.published = [new_jwk]
        clock.advance(600)
        with pytest.raises(errors.Unauthenticated):
            await verifier.verify(_token(old_private, old_jwk, user="u_1", sid="s"))
        assert servicer.calls == 3
    finally:
        await source.close()
        await server.stop(0.1)


async def test_grpc_key_source_without_auth_is_unavailable() -> None:
    source = GrpcKeySource(f"127.0.0.1:{free_port()}", ManualClock())
    try:
        with pytest.raises(errors.Unavailable):
            await source.get("any")
    finally:
        await source.close()


async def test_require_user_dependency() -> None:
    private, jwk = _key()
    seen: list[str] = []

    async def on_authenticated(claims: AccessClaims) -> None:
        seen.append(claims.user_id)

    verifier = TokenVerifier(
        StaticKeySource([VerificationKey.from_jwk(jwk)]),
        ManualClock(start=NOW),
        None,  # revocation is covered above; the test client runs the app on its own loop
    )

    @get("/api/test/me", dependencies={"current_user": require_user(verifier, on_authenticated)})
    async def me(current_user: CurrentUser) -> dict[str, str]:
        return {"id": current_user.user_id}

    app = create_http_app(service="unit", supervisor=DependencySupervisor([]), route_handlers=[me])
    async with AsyncTestClient(app) as client:
        token = _token(private, jwk, user="u_9", sid=uuid.uuid4().hex)
        ok = await client.get("/api/test/me", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert ok.json() == {"id": "u_9"}
        assert seen == ["u_9"]
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": token}):
            bad = await client.get("/api/test/me", headers=headers)
            assert bad.status_code == 401
            assert bad.json()["code"] == "auth_required"
            assert bad.headers["content-type"].startswith("application/problem+json")
