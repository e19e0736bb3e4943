"""``POST /api/videos/validate-source`` against the service in-process, fetching from a real local
web server (media made by ffmpeg), with the per-IP limit in the run's real Redis."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.integration

UPLOAD = "Try uploading the video file instead."
FIELDS = {
    "supported",
    "sourceType",
    "sourceId",
    "provider",
    "syncSupport",
    "reason",
    "message",
    "suggestion",
    "precisionNotice",
}


def _closed_port() -> int:
    """A port nothing listens on (from the kernel's ephemeral range)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_youtube_is_answered_without_fetching_anything(transcoder, media_server) -> None:
    before = len(media_server.requests)
    body = await transcoder.validate("https://youtu.be/dQw4w9WgXcQ?si=share")
    assert body == {
        "supported": True,
        "sourceType": "youtube",
        "sourceId": "dQw4w9WgXcQ",
        "provider": "youtube",
        "syncSupport": "coarse",
        "reason": None,
        "message": body["message"],
        "suggestion": None,
        "precisionNotice": body["precisionNotice"],
    }
    assert "±1 frame" in body["precisionNotice"]
    assert body["message"]
    assert len(media_server.requests) == before


@pytest.mark.parametrize(
    ("url", "provider", "sync", "source_id"),
    [
        ("https://player.vimeo.com/video/76979871", "vimeo", "full", "https://vimeo.com/76979871"),
        (
            "https://dai.ly/x8abcd1",
            "dailymotion",
            "partial",
            "https://www.dailymotion.com/video/x8abcd1",
        ),
    ],
)
async def test_official_embeds(
    transcoder, url: str, provider: str, sync: str, source_id: str
) -> None:
    body = await transcoder.validate(url)
    assert set(body) == FIELDS
    assert (body["supported"], body["sourceType"], body["provider"]) == (True, "external", provider)
    assert (body["syncSupport"], body["sourceId"], body["precisionNotice"]) == (
        sync,
        source_id,
        None,
    )


async def test_drm_services_are_refused(transcoder) -> None:
    body = await transcoder.validate("https://www.netflix.com/watch/80100172")
    assert (body["supported"], body["reason"]) == (False, "drm_protected")
    assert "Netflix" in body["message"]
    assert body["suggestion"]
    assert body["sourceType"] is body["sourceId"] is body["provider"] is body["syncSupport"] is None


@pytest.mark.parametrize(
    "text", ["not a link", "", "ftp://example.com/a.mp4", "javascript:alert(1)"]
)
async def test_text_that_is_no_link_is_a_200_with_invalid_url(transcoder, text: str) -> None:
    body = await transcoder.validate(text)
    assert (body["supported"], body["reason"]) == (False, "invalid_url")
    assert body["message"]
    assert body["suggestion"]


async def test_a_real_mp4_file_is_a_direct_mp4(transcoder, media_server) -> None:
    url = media_server.url("/media/clip.mp4")
    body = await transcoder.validate(url)
    assert body == {
        "supported": True,
        "sourceType": "external",
        "sourceId": url,
        "provider": "direct_mp4",
        "syncSupport": "full",
        "reason": None,
        "message": body["message"],
        "suggestion": None,
        "precisionNotice": None,
    }
    # One ranged GET for the first 64 KiB (the file is larger than that).
    asked = media_server.requests_to("/media/clip.mp4")[-1]
    assert asked["Range"] == "bytes=0-65535"
    assert media_server.files["clip.mp4"].stat().st_size > 65536


async def test_the_source_id_is_the_normalized_link(transcoder, media_server) -> None:
    pasted = f"  HTTP://127.0.0.1:{media_server.port}/media/clip.mp4#t=10 "
    body = await transcoder.validate(pasted)
    assert body["sourceId"] == media_server.url("/media/clip.mp4")


@pytest.mark.parametrize(
    ("path", "provider"),
    [
        ("/media/clip.webm", "direct_webm"),
        ("/media/index.m3u8", "direct_hls"),
        # No telling extension and a generic type: the magic bytes decide.
        ("/raw/mp4", "direct_mp4"),
        ("/raw/webm", "direct_webm"),
        ("/raw/hls", "direct_hls"),
    ],
)
async def test_webm_and_hls(transcoder, media_server, path: str, provider: str) -> None:
    body = await transcoder.validate(media_server.url(path))
    assert (body["supported"], body["provider"], body["syncSupport"]) == (True, provider, "full")
    assert body["sourceId"] == media_server.url(path)


async def test_a_name_is_resolved_and_its_checked_address_used(transcoder, media_server) -> None:
    # "localhost" may resolve to ::1 first, where nothing listens; 127.0.0.1 then answers.
    body = await transcoder.validate(f"http://localhost:{media_server.port}/media/clip.mp4")
    assert body["provider"] == "direct_mp4"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/page/deny", "x_frame_options"),
        ("/page/sameorigin", "x_frame_options"),
        ("/page/csp-none", "csp_blocked"),
        ("/page/plain", "unknown_provider"),
        ("/page/csp-any", "unknown_provider"),  # frame-ancestors * overrides X-Frame-Options
    ],
)
async def test_web_pages_are_refused_with_the_reason(
    transcoder, media_server, path: str, reason: str
) -> None:
    body = await transcoder.validate(media_server.url(path))
    assert (body["supported"], body["reason"], body["suggestion"]) == (False, reason, UPLOAD)
    assert body["sourceId"] is None


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/notes.txt", "text/plain"),
        ("/media/audio.m4a", "audio"),
        ("/media/still.png", "image"),
        ("/media/clip.mkv", "Matroska"),
    ],
)
async def test_other_content_is_not_video(transcoder, media_server, path: str, says: str) -> None:
    body = await transcoder.validate(media_server.url(path))
    assert (body["supported"], body["reason"]) == (False, "not_video")
    assert says in body["message"]


@pytest.mark.parametrize(("path", "status"), [("/missing.mp4", "404"), ("/broken", "500")])
async def test_error_answers_are_unreachable(
    transcoder, media_server, path: str, status: str
) -> None:
    body = await transcoder.validate(media_server.url(path))
    assert (body["supported"], body["reason"]) == (False, "unreachable")
    assert status in body["message"]


async def test_a_closed_port_is_unreachable(transcoder) -> None:
    body = await transcoder.validate(f"http://127.0.0.1:{_closed_port()}/clip.mp4")
    assert (body["supported"], body["reason"]) == (False, "unreachable")


async def test_an_unknown_host_is_unreachable(transcoder) -> None:
    body = await transcoder.validate("http://no-such-host.invalid/clip.mp4")
    assert (body["supported"], body["reason"]) == (False, "unreachable")


async def test_three_redirects_are_followed(transcoder, media_server) -> None:
    url = media_server.url("/redirect/2")  # /redirect/2 → 1 → 0 → /media/clip.mp4
    body = await transcoder.validate(url)
    assert (body["provider"], body["sourceId"]) == ("direct_mp4", url)


async def test_a_chain_of_five_redirects_is_unreachable(transcoder, media_server) -> None:
    first = len(media_server.requests)
    body = await transcoder.validate(media_server.url("/redirect/4"))
    assert (body["supported"], body["reason"]) == (False, "unreachable")
    assert "redirect" in body["message"]
    # The first request and three redirects followed; the fifth hop is never asked for.
    asked = [path for path, _ in media_server.requests[first:]]
    assert asked == ["/redirect/4", "/redirect/3", "/redirect/2", "/redirect/1"]


async def test_a_redirect_to_youtube_is_youtube(transcoder, media_server) -> None:
    body = await transcoder.validate(media_server.url("/to-youtube"))
    assert (body["provider"], body["sourceId"]) == ("youtube", "dQw4w9WgXcQ")


async def test_a_redirect_to_no_web_link_is_unreachable(transcoder, media_server) -> None:
    body = await transcoder.validate(media_server.url("/to-ftp"))
    assert (body["supported"], body["reason"]) == (False, "unreachable")


async def test_an_endless_body_is_read_only_as_far_as_needed(transcoder, media_server) -> None:
    body = await transcoder.validate(media_server.url("/endless"))
    assert body["provider"] == "direct_mp4"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/media/clip.mp4",
        "http://localhost:{port}/media/clip.mp4",
        "http://[::1]:{port}/media/clip.mp4",
        "http://127.0.0.2:{port}/media/clip.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/clip.mp4",
        "http://[::ffff:127.0.0.1]:{port}/media/clip.mp4",
        "http://0.0.0.0:{port}/media/clip.mp4",
    ],
)
async def test_private_addresses_are_refused_by_default(
    strict_transcoder, media_server, url: str
) -> None:
    before = len(media_server.requests)
    body = await strict_transcoder.validate(url.format(port=media_server.port))
    assert (body["supported"], body["reason"]) == (False, "private_address")
    assert body["message"]
    assert body["suggestion"]
    assert len(media_server.requests) == before  # nothing was fetched


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"link": "https://youtu.be/dQw4w9WgXcQ"},
        {"url": 42},
        {"url": None},
        {"url": ["https://youtu.be/dQw4w9WgXcQ"]},
        {"url": "https://example.com/" + "a" * 2030},
    ],
)
async def test_a_body_that_is_not_a_url_string_is_a_400(transcoder, body) -> None:
    async with transcoder.client() as c:
        resp = await c.post("/api/videos/validate-source", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = resp.json()
    assert problem["code"] == "invalid_request"
    assert problem["errors"][0]["field"] in ("url", "$", "")


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'"https://youtu.be/dQw4w9WgXcQ"', b""])
async def test_a_body_that_is_not_a_json_object_is_a_400(transcoder, raw: bytes) -> None:
    async with transcoder.client() as c:
        resp = await c.post(
            "/api/videos/validate-source",
            content=raw,
            headers={"Content-Type": "application/json"},
        )
    assert resp.status_code == 400, resp.text
    assert resp.json()["code"] == "invalid_request"


async def test_a_huge_body_is_refused_unread(transcoder) -> None:
    async with transcoder.client() as c:
        resp = await c.post(
            "/api/videos/validate-source", json={"url": "x", "padding": "a" * 100_000}
        )
    assert resp.status_code == 413
    assert resp.json()["code"] == "too_large"


async def test_a_url_of_2048_characters_is_read(transcoder) -> None:
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&pad=" + "a" * (2048 - 48)
    assert len(url) == 2048
    body = await transcoder.validate(url)
    assert body["sourceId"] == "dQw4w9WgXcQ"


async def test_sixty_checks_per_minute_per_address(transcoder) -> None:
    ip = transcoder.next_ip()
    async with transcoder.client(ip) as c:
        for _ in range(60):
            resp = await c.post("/api/videos/validate-source", json={"url": "not a link"})
            assert resp.status_code == 200
        refused = await c.post("/api/videos/validate-source", json={"url": "not a link"})
    async with transcoder.client() as c:
        other = await c.post("/api/videos/validate-source", json={"url": "not a link"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert other.status_code == 200  # another address has its own budget
    transcoder.clock.advance(61)
    async with transcoder.client(ip) as c:
        again = await c.post("/api/videos/validate-source", json={"url": "not a link"})
    assert again.status_code == 200


async def test_openapi_describes_the_endpoint(transcoder) -> None:
    async with transcoder.client() as c:
        resp = await c.get("/api/videos/openapi/openapi.json")
    assert resp.status_code == 200
    operation = resp.json()["paths"]["/api/videos/validate-source"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "413", "429"}
    assert "rate_limited" in operation["responses"]["429"]["description"]
    # The link check needs no token; the access-token scheme is declared all the same.
    assert "security" not in operation
    assert "bearerAuth" in resp.json()["components"]["securitySchemes"]
