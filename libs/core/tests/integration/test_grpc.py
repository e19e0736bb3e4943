import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from syncwatch.core import errors
from syncwatch.core.grpc import GrpcServer, create_channel
from syncwatch.devstack.ports import free_port

pytestmark = pytest.mark.integration

SERVICE = "syncwatch.test.v1.ProbeService"


def _register(server: grpc.aio.Server) -> None:
    async def fail(request: bytes, context) -> bytes:
        if request == b"limit":
            raise errors.RateLimited("too many", retry_after=7, code="chat_rate_limited")
        if request == b"bug":
            raise KeyError("secret internal detail")
        return b"ok:" + request

    handler = grpc.method_handlers_generic_handler(
        SERVICE, {"Probe": grpc.unary_unary_rpc_method_handler(fail)}
    )
    server.add_generic_rpc_handlers((handler,))


@pytest.fixture
async def server():
    port = free_port()
    srv = GrpcServer(
        host="127.0.0.1", port=port, registrations=[_register], service_names=[SERVICE]
    )
    await srv.start()
    yield srv, f"127.0.0.1:{port}"
    await srv.stop(0.5)


async def test_typed_errors_cross_grpc_intact(server) -> None:
    _, address = server
    async with create_channel(address) as channel:
        probe = channel.unary_unary(f"/{SERVICE}/Probe")
        assert await probe(b"x") == b"ok:x"
        with pytest.raises(errors.RateLimited) as exc:
            await probe(b"limit")
        assert (exc.value.code, exc.value.message, exc.value.retry_after) == (
            "chat_rate_limited",
            "too many",
            7,
        )
        with pytest.raises(errors.Internal) as internal:
            await probe(b"bug")
        assert "secret" not in internal.value.message


async def test_health_follows_readiness(server) -> None:
    srv, address = server
    async with grpc.aio.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        check = health_pb2.HealthCheckRequest
        assert (
            await health.Check(check(service=""))
        ).status == health_pb2.HealthCheckResponse.NOT_SERVING
        await srv.set_serving(True)
        assert (
            await health.Check(check(service=SERVICE))
        ).status == health_pb2.HealthCheckResponse.SERVING
        await srv.set_serving(False)
        assert (
            await health.Check(check(service=""))
        ).status == health_pb2.HealthCheckResponse.NOT_SERVING


async def test_unreachable_peer_reads_as_unavailable() -> None:
    async with create_channel(f"127.0.0.1:{free_port()}") as channel:
        with pytest.raises(errors.Unavailable):
            await channel.unary_unary(f"/{SERVICE}/Probe")(b"x", timeout=2)
