"""The Litestar app factory every service uses: health, metrics, request ids, typed errors, tracing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

import structlog
import uvicorn
from litestar import Litestar, MediaType, Request, Response, get
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ASGIApp, ControllerRouterHandler, Message, Receive, Scope, Send

from syncwatch.core import errors
from syncwatch.core.deps import DependencySupervisor
from syncwatch.core.logs import get_logger
from syncwatch.core.openapi import SecurityPlugin, openapi_components

log = get_logger(__name__)

REQUEST_ID_HEADER = "x-request-id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._~:/+=@-]{1,128}")


def request_id(incoming: str | None) -> str:
    """Keep a caller's ``X-Request-ID`` when it is a sane token, else make a new one."""
    if incoming is not None and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


_BY_STATUS: dict[int, type[errors.SyncWatchError]] = {
    400: errors.InvalidRequest,
    401: errors.Unauthenticated,
    403: errors.Forbidden,
    404: errors.NotFound,
    405: errors.InvalidRequest,
    409: errors.Conflict,
    413: errors.PayloadTooLarge,
    429: errors.RateLimited,
    503: errors.Unavailable,
}


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Adopt a sane incoming ``X-Request-ID`` or make one; bind it to logs; echo it back."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        rid = request_id(incoming)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=rid):
            await app(scope, receive, send_with_id)

    return middleware


def problem_response(err: errors.SyncWatchError, instance: str | None = None) -> Response[Any]:
    """An RFC 9457 problem document for a typed error."""
    return Response(
        content=err.to_problem(instance),
        status_code=err.http_status,
        media_type=errors.PROBLEM_CONTENT_TYPE,
        headers=err.http_headers(),
    )


def _on_syncwatch_error(
    request: Request[Any, Any, Any], exc: errors.SyncWatchError
) -> Response[Any]:
    return problem_response(exc, request.url.path)


def _on_validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    extra = {"errors": exc.extra} if exc.extra else None
    return problem_response(errors.InvalidRequest(str(exc.detail), extra=extra), request.url.path)


_MISSING_FIELD = re.compile(r"missing required field `(?P<field>[^`]+)`")


def on_validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """A body that does not parse: 400 with ``errors: [{field, message}]`` (the REST contracts' form).

    Services install it on their API router; a missing field is named instead of the whole body.
    """
    found = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message"))
            field = str(item.get("key") or "")
            missing = _MISSING_FIELD.search(message)
            if missing:
                field, message = missing["field"], "required"
            found.append({"field": field, "message": message})
    err = errors.InvalidRequest(
        found[0]["message"] if found else str(exc.detail),
        extra={"errors": found} if found else None,
    )
    return problem_response(err, request.url.path)


def _on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    cls = _BY_STATUS.get(exc.status_code, errors.Internal)
    err = cls(str(exc.detail) if cls is not errors.Internal else None)
    return problem_response(err, request.url.path)


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", path=request.url.path, exc_info=exc)
    return problem_response(errors.Internal(), request.url.path)


def create_http_app(
    *,
    service: str,
    supervisor: DependencySupervisor,
    route_handlers: Sequence[ControllerRouterHandler] = (),
    openapi_path: str | None = None,
    debug: bool = False,
) -> Litestar:
    """A Litestar app with the service's routes plus ``/health/live``, ``/health/ready``, ``/metrics``.

    With ``openapi_path``, the OpenAPI document declares the ``bearerAuth`` scheme (the access token)
    and every operation whose handler uses ``current_user`` (any ``SecuredProvide``) requires it.
    """

    @get("/health/live", media_type=MediaType.JSON, include_in_schema=False, sync_to_thread=False)
    def live() -> dict[str, str]:
        return {"status": "live", "service": service}

    @get("/health/ready", media_type=MediaType.JSON, include_in_schema=False)
    async def ready() -> Response[dict[str, Any]]:
        result = await supervisor.readiness()
        body = {
            "service": service,
            "status": "ready" if result.ready else "not_ready",
            "checks": result.checks,
        }
        return Response(body, status_code=200 if result.ready else 503)

    prometheus = PrometheusConfig(
        app_name=service,
        prefix="syncwatch_http",
        group_path=True,
        exclude=["^/health", "^/metrics"],
    )

    class Metrics(PrometheusController):
        path = "/metrics"

    from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin

    components = openapi_components()
    return Litestar(
        route_handlers=[live, ready, Metrics, *route_handlers],
        middleware=[request_id_middleware, prometheus.middleware],
        plugins=[
            OpenTelemetryPlugin(OpenTelemetryConfig(exclude=["^/health", "^/metrics"])),
            SecurityPlugin(components),
        ],
        exception_handlers={
            errors.SyncWatchError: _on_syncwatch_error,
            ValidationException: _on_validation_error,
            HTTPException: _on_http_exception,
            Exception: _on_unexpected,
        },
        openapi_config=OpenAPIConfig(
            title=f"SyncWatch {service}",
            version="1.0.0",
            path=openapi_path,
            components=components,
        )
        if openapi_path
        else None,
        # Logging is configured once per process by syncwatch.core.logs, not by the framework.
        logging_config=None,
        debug=debug,
    )


class HttpServer(uvicorn.Server):
    """uvicorn without its own signal handling: the service runtime owns shutdown order."""

    def install_signal_handlers(self) -> None:  # uvicorn < 0.29
        return

    def capture_signals(self) -> Any:  # uvicorn >= 0.29
        import contextlib

        return contextlib.nullcontext()


def http_server(
    app: Litestar, host: str, port: int, trusted_proxies: Sequence[str] = ("127.0.0.1",)
) -> HttpServer:
    """A uvicorn server for the app, logging through our handlers, no server header."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
        # X-Forwarded-For/-Proto are believed only from these peers (the edge, the Ingress).
        forwarded_allow_ips=list(trusted_proxies),
        lifespan="on",
        ws_max_size=64 * 1024,
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=10,
    )
    return HttpServer(config)
