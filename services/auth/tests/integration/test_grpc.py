"""gRPC AuthService against the real service, typed errors included; and the shared verifier of
another service (GrpcKeySource) accepting the auth service's tokens."""

from __future__ import annotations

import asyncio

import jwt
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from syncwatch.core import errors
from syncwatch.core.grpc import create_channel
from syncwatch.core.redisdb import RedisDb, RedisDependency
from syncwatch.core.tokens import GrpcKeySource, RevocationStore, TokenVerifier
from syncwatch.proto.auth.v1 import auth_pb2, auth_pb2_grpc

pytestmark = pytest.mark.integration


@pytest.fixture
async def stub(auth):
    async with create_channel(auth.grpc_address) as channel:
        yield auth_pb2_grpc.AuthServiceStub(channel)


async def test_validate_token(auth, stub) -> None:
    async with auth.client() as client:
        session = await auth.register(client)
        answer = await stub.ValidateToken(
            auth_pb2.ValidateTokenRequest(access_token=session["accessToken"])
        )
        assert answer.user_id == session["user"]["id"]
        assert answer.username == session["user"]["username"]
        assert answer.session_id.startswith("s_")
        assert answer.expire_time.seconds == int(auth.clock.now()) + 900

        forged = jwt.encode({"sub": "u_x"}, key="", algorithm="none")
        for token in (forged, "", "x" * 9000):
            with pytest.raises(errors.Unauthenticated) as exc:
                await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token=token))
            assert exc.value.code == "auth_required"

        await client.post("/api/auth/logout")
        with pytest.raises(errors.Unauthenticated):
            await stub.ValidateToken(
                auth_pb2.ValidateTokenRequest(access_token=session["accessToken"])
            )


async def test_users_and_friendship(auth, stub) -> None:
    async with auth.client() as a, auth.client() as b:
        ann, bob = await auth.register(a), await auth.register(b)
        ann_id, bob_id = ann["user"]["id"], bob["user"]["id"]

        one = await stub.GetUser(auth_pb2.GetUserRequest(user_id=ann_id))
        assert (one.user.id, one.user.username) == (ann_id, ann["user"]["username"])
        assert one.user.create_time.seconds > 0
        with pytest.raises(errors.NotFound) as missing:
            await stub.GetUser(auth_pb2.GetUserRequest(user_id="u_nobody"))
        assert missing.value.code == "user_not_found"
        with pytest.raises(errors.InvalidRequest):
            await stub.GetUser(auth_pb2.GetUserRequest())

        many = await stub.GetUsers(
            auth_pb2.GetUsersRequest(user_ids=[bob_id, "u_nobody", ann_id, bob_id])
        )
        assert [u.id for u in many.users] == [bob_id, ann_id]
        with pytest.raises(errors.InvalidRequest):
            await stub.GetUsers(auth_pb2.GetUsersRequest(user_ids=[f"u_{i}" for i in range(101)]))

        check = auth_pb2.AreFriendsRequest(user_id=ann_id, other_user_id=bob_id)
        assert (await stub.AreFriends(check)).are_friends is False
        asked = await a.post(
            "/api/friends/request",
            json={"username": bob["user"]["username"]},
            headers=auth.bearer(ann),
        )
        await b.post(
            "/api/friends/accept",
            json={"requestId": asked.json()["request"]["id"]},
            headers=auth.bearer(bob),
        )
        assert (await stub.AreFriends(check)).are_friends is True
        reverse = auth_pb2.AreFriendsRequest(user_id=bob_id, other_user_id=ann_id)
        assert (await stub.AreFriends(reverse)).are_friends is True


async def test_signing_keys_and_a_verifier_elsewhere(auth, stub, infra) -> None:
    keys = await stub.GetSigningKeys(auth_pb2.GetSigningKeysRequest())
    async with auth.client() as client:
        jwks = (await client.get("/api/auth/.well-known/jwks.json")).json()["keys"]
        assert [k.kid for k in keys.keys] == [k["kid"] for k in jwks]
        assert all(k.algorithm == "EdDSA" for k in keys.keys)

        # What another service does: keys over gRPC, revocation from Redis db4.
        redis = RedisDependency(infra.redis_url, [RedisDb.SESSIONS])
        await redis.connect()
        source = GrpcKeySource(auth.grpc_address, auth.clock)
        try:
            verifier = TokenVerifier(source, auth.clock, RevocationStore(redis))
            session = await auth.register(client)
            claims = await verifier.verify(session["accessToken"])
            assert claims.user_id == session["user"]["id"]
            await client.post("/api/auth/logout")
            with pytest.raises(errors.Unauthenticated):
                await verifier.verify(session["accessToken"])
        finally:
            await source.close()
            await redis.close()


async def test_health_names_the_service(auth) -> None:
    async with create_channel(auth.grpc_address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service="syncwatch.auth.v1.AuthService")
        # gRPC health follows /health/ready every two seconds.
        async with asyncio.timeout(10):
            while (await health.Check(request)).status != health_pb2.HealthCheckResponse.SERVING:
                await asyncio.sleep(0.2)
