"""The edge's pure decisions: routing, the origin allowlist, request ids, header forwarding."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from syncwatch.devstack.edge import (
    Route,
    forward_request_headers,
    forward_response_headers,
    match_route,
    needs_origin_check,
    origin_allowed,
    path_has_prefix,
    request_id,
)

ROUTES = (
    Route("/api", ("http://127.0.0.1:1",), name="api"),
    Route("/api/rooms", ("http://127.0.0.1:2",), name="room"),
    Route("/api/rooms/special", ("http://127.0.0.1:3",), name="special"),
    Route("/ws", ("http://127.0.0.1:4",), websocket=True),
)


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("/api/rooms", "/api/rooms", True),
        ("/api/rooms/", "/api/rooms", True),
        ("/api/rooms/x/y", "/api/rooms", True),
        ("/api/roomsx", "/api/rooms", False),
        ("/api/room", "/api/rooms", False),
        ("/anything", "/", True),
    ],
)
def test_prefix_matches_on_segment_boundaries(path: str, prefix: str, expected: bool) -> None:
    assert path_has_prefix(path, prefix) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/rooms/special/1", "special"),
        ("/api/rooms/1", "room"),
        ("/api/rooms", "room"),
        ("/api/roomsx", "api"),
        ("/api", "api"),
        ("/ws", "/ws"),
        ("/wsx", None),
        ("/", None),
    ],
)
def test_longest_prefix_wins_whatever_the_order(path: str, expected: str | None) -> None:
    for routes in (ROUTES, tuple(reversed(ROUTES))):
        route = match_route(routes, path)
        assert (route.service if route else None) == expected


def test_route_is_validated_and_normalised() -> None:
    route = Route("/api/x", ("http://127.0.0.1:1/",))
    assert route.upstreams == ("http://127.0.0.1:1",)
    assert route.service == "/api/x"
    with pytest.raises(ValueError, match="prefix"):
        Route("api", ("http://127.0.0.1:1",))
    with pytest.raises(ValueError, match="prefix"):
        Route("/api/", ("http://127.0.0.1:1",))
    with pytest.raises(ValueError, match="no upstreams"):
        Route("/api", ())


def test_origin_allowlist() -> None:
    allowed = frozenset({"http://127.0.0.1:8080", "http://localhost:8080"})
    assert origin_allowed(None, allowed)  # not a browser
    assert origin_allowed("http://127.0.0.1:8080", allowed)
    assert origin_allowed("HTTP://LOCALHOST:8080/", allowed)
    assert not origin_allowed("http://evil.example", allowed)
    assert not origin_allowed("null", allowed)
    assert not origin_allowed("http://127.0.0.1:8081", allowed)


@pytest.mark.parametrize(
    ("method", "websocket", "expected"),
    [
        ("GET", False, False),
        ("HEAD", False, False),
        ("OPTIONS", False, False),
        ("GET", True, True),
        ("POST", False, True),
        ("put", False, True),
        ("PATCH", False, True),
        ("DELETE", False, True),
    ],
)
def test_origin_check_applies_to_upgrades_and_unsafe_methods(
    method: str, websocket: bool, expected: bool
) -> None:
    assert needs_origin_check(method, websocket) is expected


@pytest.mark.parametrize("incoming", ["abc-123", "0f" * 16, "trace:1/2+3=4", "a" * 128])
def test_sane_request_id_is_kept(incoming: str) -> None:
    assert request_id(incoming) == incoming


@pytest.mark.parametrize("incoming", [None, "", "a" * 129, "has space", "new\nline", 'quote"', "é"])
def test_other_request_ids_are_replaced(incoming: str | None) -> None:
    generated = request_id(incoming)
    assert generated != incoming
    assert len(generated) == 32
    assert int(generated, 16) >= 0
    assert request_id(incoming) != generated


def test_request_headers_lose_hop_by_hop_and_get_fresh_forwarding() -> None:
    incoming = CIMultiDict(
        [
            ("Host", "edge:8080"),
            ("Connection", "keep-alive, X-Secret-Hop"),
            ("Keep-Alive", "timeout=5"),
            ("X-Secret-Hop", "1"),
            ("Transfer-Encoding", "chunked"),
            ("X-Forwarded-For", "6.6.6.6"),
            ("X-Request-ID", "spoofed"),
            ("Cookie", "a=1"),
            ("Accept", "text/html"),
            ("Accept", "application/json"),
            ("Content-Length", "3"),
        ]
    )
    out = forward_request_headers(
        incoming, client_ip="10.0.0.1", proto="http", host="edge:8080", request_id="rid1"
    )
    assert "Host" not in out
    assert "Connection" not in out
    assert "Keep-Alive" not in out
    assert "X-Secret-Hop" not in out
    assert "Transfer-Encoding" not in out
    assert out.getall("X-Forwarded-For") == ["10.0.0.1"]
    assert out["X-Forwarded-Proto"] == "http"
    assert out["X-Forwarded-Host"] == "edge:8080"
    assert out.getall("X-Request-ID") == ["rid1"]
    assert out["Cookie"] == "a=1"
    assert out.getall("Accept") == ["text/html", "application/json"]
    assert out["Content-Length"] == "3"


def test_response_headers_keep_duplicates_and_drop_hop_by_hop() -> None:
    upstream = CIMultiDict(
        [
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "close"),
            ("Content-Encoding", "gzip"),
        ]
    )
    out = forward_response_headers(upstream)
    assert out.getall("Set-Cookie") == ["a=1", "b=2"]
    assert "Transfer-Encoding" not in out
    assert "Connection" not in out
    assert out["Content-Encoding"] == "gzip"
