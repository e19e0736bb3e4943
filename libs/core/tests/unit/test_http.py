"""The HTTP app factory: typed errors as problem documents, request ids, health without dependencies."""

from __future__ import annotations

import msgspec
from litestar import get, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from syncwatch.core import errors
from syncwatch.core.deps import DependencySupervisor
from syncwatch.core.http import create_http_app


class Body(msgspec.Struct):
    name: str


@get("/api/test/limited", sync_to_thread=False)
def limited() -> None:
    raise errors.RateLimited("slow down", retry_after=12)


@get("/api/test/full", sync_to_thread=False)
def full() -> None:
    raise errors.Conflict("room is full", code="room_full")


@get("/api/test/bug", sync_to_thread=False)
def bug() -> None:
    raise RuntimeError("db password is hunter2")


@post("/api/test/echo", sync_to_thread=False)
def echo(data: JSONBody[Body]) -> Body:
    return data


def _client() -> TestClient:
    app = create_http_app(
        service="unit",
        supervisor=DependencySupervisor([]),
        route_handlers=[limited, full, bug, echo],
    )
    return TestClient(app)


def test_rate_limit_is_a_problem_with_retry_after() -> None:
    with _client() as client:
        resp = client.get("/api/test/limited")
    assert resp.status_code == 429
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.headers["retry-after"] == "12"
    assert resp.json()["code"] == "rate_limited"
    assert resp.json()["retryAfter"] == 12


def test_finer_code_reaches_the_client() -> None:
    with _client() as client:
        resp = client.get("/api/test/full")
    assert resp.status_code == 409
    assert resp.json()["code"] == "room_full"
    assert resp.json()["detail"] == "room is full"


def test_unexpected_error_is_internal_without_detail() -> None:
    with _client() as client:
        resp = client.get("/api/test/bug")
    assert resp.status_code == 500
    assert resp.json()["code"] == "internal"
    assert "hunter2" not in resp.text


def test_bad_body_is_invalid_request() -> None:
    with _client() as client:
        resp = client.post("/api/test/echo", json={"name": 3})
        ok = client.post("/api/test/echo", json={"name": "ann"})
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_request"
    assert ok.json() == {"name": "ann"}


def test_request_id_is_adopted_or_made() -> None:
    with _client() as client:
        given = client.get("/health/live", headers={"x-request-id": "abc.123"})
        made = client.get("/health/live", headers={"x-request-id": "bad id with spaces"})
    assert given.headers["x-request-id"] == "abc.123"
    assert made.headers["x-request-id"] != "bad id with spaces"
    assert len(made.headers["x-request-id"]) == 32


def test_ready_with_no_dependencies_is_ready() -> None:
    with _client() as client:
        resp = client.get("/health/ready")
    assert resp.status_code == 200
    assert resp.json() == {"service": "unit", "status": "ready", "checks": {}}
