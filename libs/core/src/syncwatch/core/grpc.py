"""gRPC server and channel helpers: ``grpc.health.v1``, typed errors both ways, tracing, graceful stop."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer

from syncwatch.core import errors
from syncwatch.core.logs import get_logger

log = get_logger(__name__)

Registration = Callable[[grpc.aio.Server], None]

# Retries for calls that failed before reaching a healthy peer (a replica restarting).
_SERVICE_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [{}],
                "retryPolicy": {
                    "maxAttempts": 4,
                    "initialBackoff": "0.1s",
                    "maxBackoff": "1s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
                "timeout": "10s",
            }
        ]
    }
)


class ErrorInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]  # grpc-stubs generics
    """Turns a raised SyncWatchError into its status code plus the ``syncwatch-error-bin`` trailer.

    Any other exception is logged and answered ``INTERNAL`` without detail.
    """

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Any]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Any:
        handler = await continuation(handler_call_details)
        if handler is None:  # unknown method: let grpc answer UNIMPLEMENTED
            return None
        method = handler_call_details.method
        for kind, factory in (
            ("unary_unary", grpc.unary_unary_rpc_method_handler),
            ("stream_unary", grpc.stream_unary_rpc_method_handler),
        ):
            behavior = getattr(handler, kind)
            if behavior is not None:
                return factory(
                    _wrap_unary(behavior, method),
                    request_deserializer=handler.request_deserializer,
                    response_serializer=handler.response_serializer,
                )
        for kind, factory in (
            ("unary_stream", grpc.unary_stream_rpc_method_handler),
            ("stream_stream", grpc.stream_stream_rpc_method_handler),
        ):
            behavior = getattr(handler, kind)
            if behavior is not None:
                return factory(
                    _wrap_stream(behavior, method),
                    request_deserializer=handler.request_deserializer,
                    response_serializer=handler.response_serializer,
                )
        return handler


async def _abort(context: grpc.aio.ServicerContext[Any, Any], exc: Exception, method: str) -> None:
    if isinstance(exc, errors.SyncWatchError):
        err = exc
    else:
        log.exception("unhandled error in rpc", method=method, exc_info=exc)
        err = errors.Internal()
    await context.abort(err.grpc_status, err.message, trailing_metadata=err.grpc_trailers())


def _wrap_unary(behavior: Any, method: str) -> Any:
    async def wrapper(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        try:
            return await behavior(request, context)
        except grpc.aio.AbortError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped to a status, never leaked
            await _abort(context, exc, method)

    return wrapper


def _wrap_stream(behavior: Any, method: str) -> Any:
    async def wrapper(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        try:
            async for item in behavior(request, context):
                yield item
        except grpc.aio.AbortError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped to a status, never leaked
            await _abort(context, exc, method)

    return wrapper


class GrpcServer:
    """An aio gRPC server with the standard health service, driven by the service's readiness."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        registrations: Sequence[Registration] = (),
        service_names: Sequence[str] = (),
    ) -> None:
        from opentelemetry.instrumentation.grpc import aio_server_interceptor

        self.address = f"{host}:{port}"
        self.health = HealthServicer()
        self.service_names = tuple(service_names)
        self.server = grpc.aio.server(
            interceptors=[aio_server_interceptor(), ErrorInterceptor()],  # type: ignore[no-untyped-call]
            options=[
                ("grpc.keepalive_time_ms", 30_000),
                ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
            ],
        )
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        for register in registrations:
            register(self.server)
        self._serving: bool | None = None

    async def start(self) -> None:
        """Bind and start; health starts as NOT_SERVING until readiness says otherwise."""
        if self.server.add_insecure_port(self.address) == 0:
            raise OSError(f"cannot bind gRPC on {self.address}")
        await self.set_serving(False)
        await self.server.start()

    async def set_serving(self, serving: bool) -> None:
        """Publish the overall and per-service health status."""
        if serving == self._serving:
            return
        self._serving = serving
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if serving
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *self.service_names):
            await self.health.set(name, status)

    async def stop(self, grace_s: float) -> None:
        """Report NOT_SERVING, let calls in flight finish for up to ``grace_s``, then stop."""
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace_s)


class ErrorTranslatingInterceptor(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[type-arg]  # grpc-stubs generics
    """Raises the callee's typed SyncWatchError instead of a raw AioRpcError."""

    async def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, Any], Awaitable[Any]],
        client_call_details: grpc.aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        call = await continuation(client_call_details, request)
        try:
            return await call
        except grpc.aio.AioRpcError as exc:
            raise errors.from_grpc_error(exc) from exc


def create_channel(target: str) -> grpc.aio.Channel:
    """A channel to a peer service (``<SVC>_GRPC_ADDR``) with retries, keepalive, tracing and typed errors."""
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    interceptors: list[Any] = [*aio_client_interceptors(), ErrorTranslatingInterceptor()]  # type: ignore[no-untyped-call]
    return grpc.aio.insecure_channel(
        target,
        options=[
            ("grpc.service_config", _SERVICE_CONFIG),
            ("grpc.enable_retries", 1),
            ("grpc.keepalive_time_ms", 30_000),
        ],
        interceptors=interceptors,
    )
