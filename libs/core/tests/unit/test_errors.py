import grpc
import pytest

from syncwatch.core import errors
from syncwatch.proto.common.v1 import error_pb2


def test_problem_document_has_rfc9457_members_and_our_code() -> None:
    err = errors.RateLimited("slow down", retry_after=30)
    assert err.to_problem("/api/x") == {
        "type": "about:blank",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "slow down",
        "code": "rate_limited",
        "instance": "/api/x",
        "retryAfter": 30,
    }
    assert err.http_headers() == {"Retry-After": "30"}


def test_ws_frame_answers_the_request_id() -> None:
    frame = errors.Conflict("stale sequence", code="conflict").to_ws_frame("req-7")
    assert frame == {
        "type": "room:error",
        "id": "req-7",
        "data": {"code": "conflict", "message": "stale sequence"},
    }


def test_finer_code_keeps_the_class_statuses() -> None:
    err = errors.Conflict("room is full", code="room_full")
    assert (err.code, err.http_status, err.grpc_status) == (
        "room_full",
        409,
        grpc.StatusCode.ABORTED,
    )


def test_default_message_is_the_title() -> None:
    assert errors.NotFound().message == "Not Found"


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (errors.InvalidRequest, grpc.StatusCode.INVALID_ARGUMENT),
        (errors.Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
        (errors.Forbidden, grpc.StatusCode.PERMISSION_DENIED),
        (errors.NotFound, grpc.StatusCode.NOT_FOUND),
        (errors.RateLimited, grpc.StatusCode.RESOURCE_EXHAUSTED),
        (errors.Unavailable, grpc.StatusCode.UNAVAILABLE),
        (errors.Internal, grpc.StatusCode.INTERNAL),
    ],
)
def test_grpc_status_mapping(cls: type[errors.SyncWatchError], status: grpc.StatusCode) -> None:
    assert cls().grpc_status == status


def test_trailer_carries_code_message_and_retry() -> None:
    ((key, value),) = errors.RateLimited(
        "wait", retry_after=5, code="chat_rate_limited"
    ).grpc_trailers()
    assert key == errors.ERROR_METADATA_KEY
    info = error_pb2.ErrorInfo.FromString(value)
    assert (info.code, info.message, info.retry_after_seconds) == ("chat_rate_limited", "wait", 5)
