"""Typed errors and their three wire forms: HTTP problem details, gRPC status, WebSocket ``room:error``.

A service raises one of these; the edge it crossed turns it into the right form. The ``code`` is the
stable contract (the same string in all three forms); the message is safe to show to a user. Anything
that is not a SyncWatchError reaches a client only as ``internal`` with no detail.
"""

from __future__ import annotations

from typing import Any, ClassVar

import grpc

from syncwatch.proto.common.v1 import error_pb2

ERROR_METADATA_KEY = "syncwatch-error-bin"
PROBLEM_CONTENT_TYPE = "application/problem+json"


class SyncWatchError(Exception):
    """Base of every error a client may see. Subclasses fix the code and the transport statuses."""

    default_code: ClassVar[str] = "internal"
    http_status: ClassVar[int] = 500
    grpc_status: ClassVar[grpc.StatusCode] = grpc.StatusCode.INTERNAL
    title: ClassVar[str] = "Internal Server Error"

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: int | None = None,
        extra: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> None:
        #: The stable wire code. A subclass fixes it; a finer code (``room_full`` as a Conflict) may be
        #: given per instance.
        self.code = code or self.default_code
        self.message = message or self.title
        self.retry_after = retry_after
        self.extra = extra or {}
        super().__init__(self.message)

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """RFC 9457 problem details, with our ``code`` as an extension member."""
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.http_status,
            "detail": self.message,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        if self.retry_after is not None:
            body["retryAfter"] = self.retry_after
        body.update(self.extra)
        return body

    def http_headers(self) -> dict[str, str]:
        """Headers that go with the problem document (``Retry-After`` for throttling)."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}

    def to_ws_frame(self, request_id: str | int | None = None) -> dict[str, Any]:
        """The ``room:error`` frame of the WebSocket protocol, answering request ``request_id``."""
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.retry_after is not None:
            data["retryAfter"] = self.retry_after
        data.update(self.extra)
        frame: dict[str, Any] = {"type": "room:error", "data": data}
        if request_id is not None:
            frame["id"] = request_id
        return frame

    def grpc_trailers(self) -> tuple[tuple[str, bytes], ...]:
        """Trailing metadata carrying the typed error to a gRPC caller."""
        info = error_pb2.ErrorInfo(
            code=self.code, message=self.message, retry_after_seconds=self.retry_after or 0
        )
        return ((ERROR_METADATA_KEY, info.SerializeToString()),)


class InvalidRequest(SyncWatchError):
    """The input is malformed or breaks a rule; nothing was changed."""

    default_code = "invalid_request"
    http_status = 400
    grpc_status = grpc.StatusCode.INVALID_ARGUMENT
    title = "Bad Request"


class Unauthenticated(SyncWatchError):
    """No valid credentials were presented."""

    default_code = "auth_required"
    http_status = 401
    grpc_status = grpc.StatusCode.UNAUTHENTICATED
    title = "Unauthorized"


class Forbidden(SyncWatchError):
    """The caller is known but may not do this."""

    default_code = "forbidden"
    http_status = 403
    grpc_status = grpc.StatusCode.PERMISSION_DENIED
    title = "Forbidden"


class NotFound(SyncWatchError):
    """The thing does not exist (or the caller may not know that it does)."""

    default_code = "not_found"
    http_status = 404
    grpc_status = grpc.StatusCode.NOT_FOUND
    title = "Not Found"


class Conflict(SyncWatchError):
    """The request is valid but the current state does not allow it (stale sequence, room full)."""

    default_code = "conflict"
    http_status = 409
    grpc_status = grpc.StatusCode.ABORTED
    title = "Conflict"


class PayloadTooLarge(SyncWatchError):
    """The request body or frame exceeds its size cap."""

    default_code = "too_large"
    http_status = 413
    grpc_status = grpc.StatusCode.INVALID_ARGUMENT
    title = "Content Too Large"


class RateLimited(SyncWatchError):
    """Too many requests; ``retry_after`` says when to try again."""

    default_code = "rate_limited"
    http_status = 429
    grpc_status = grpc.StatusCode.RESOURCE_EXHAUSTED
    title = "Too Many Requests"


class Unavailable(SyncWatchError):
    """A dependency is down; the same request may succeed later."""

    default_code = "unavailable"
    http_status = 503
    grpc_status = grpc.StatusCode.UNAVAILABLE
    title = "Service Unavailable"


class Internal(SyncWatchError):
    """A bug. Clients see only this code; the details go to the logs."""


_BY_CODE: dict[str, type[SyncWatchError]] = {
    cls.default_code: cls
    for cls in (
        InvalidRequest,
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        PayloadTooLarge,
        RateLimited,
        Unavailable,
        Internal,
    )
}
_BY_GRPC: dict[grpc.StatusCode, type[SyncWatchError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidRequest,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: Forbidden,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ABORTED: Conflict,
    grpc.StatusCode.ALREADY_EXISTS: Conflict,
    grpc.StatusCode.FAILED_PRECONDITION: Conflict,
    grpc.StatusCode.RESOURCE_EXHAUSTED: RateLimited,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: Unavailable,
}


def from_grpc_error(exc: grpc.aio.AioRpcError) -> SyncWatchError:
    """Turn a failed RPC back into the typed error the callee raised.

    The ``syncwatch-error-bin`` trailer carries the exact code; without it (a peer that is not ours,
    a transport failure) the status code decides.
    """
    trailers: Any = exc.trailing_metadata() or ()
    for key, value in trailers:
        if key == ERROR_METADATA_KEY and isinstance(value, bytes):
            info = error_pb2.ErrorInfo.FromString(value)
            cls = _BY_CODE.get(info.code) or _BY_GRPC.get(exc.code(), Internal)
            return cls(
                info.message or None,
                retry_after=info.retry_after_seconds or None,
                code=info.code or None,
            )
    cls = _BY_GRPC.get(exc.code(), Internal)
    message = exc.details() if cls is not Internal else None
    return cls(message or None)
