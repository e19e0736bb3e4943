"""Judging what a fetched link answered: magic bytes first, then the Content-Type; web pages by
whether they may be framed at all."""

from __future__ import annotations

import pytest

from syncwatch.transcoder.domain.content import FetchedResource, judge_resource
from syncwatch.transcoder.domain.links import ExternalLink, read_link
from syncwatch.transcoder.domain.sources import Provider, Reason, SourceType, SyncSupport

URL = "https://cdn.example.com/media/file"
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
MKV_HEAD = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska"
HLS_HEAD = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
HTML_HEAD = b"<!DOCTYPE html>\n<html><head><title>A film</title></head><body></body></html>"


def _link() -> ExternalLink:
    link = read_link(URL)
    assert isinstance(link, ExternalLink)
    return link


def _judge(
    head: bytes = b"",
    content_type: str = "",
    *,
    status: int = 206,
    xfo: tuple[str, ...] = (),
    csp: tuple[str, ...] = (),
    origins: tuple[str, ...] = ("https://watch.example.org",),
):
    resource = FetchedResource(
        origin="https://cdn.example.com",
        status=status,
        content_type=content_type,
        head=head,
        x_frame_options=xfo,
        content_security_policy=csp,
    )
    return judge_resource(_link(), resource, origins)


@pytest.mark.parametrize(
    ("head", "content_type", "provider"),
    [
        (MP4_HEAD, "video/mp4", Provider.DIRECT_MP4),
        (MP4_HEAD, "application/octet-stream", Provider.DIRECT_MP4),
        (MP4_HEAD, "", Provider.DIRECT_MP4),
        (MP4_HEAD, "text/html", Provider.DIRECT_MP4),  # the bytes win over a wrong header
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime", Provider.DIRECT_MP4),
        (b"", "video/mp4", Provider.DIRECT_MP4),  # moov-first files: trust the header
        (WEBM_HEAD, "video/webm", Provider.DIRECT_WEBM),
        (WEBM_HEAD, "application/octet-stream", Provider.DIRECT_WEBM),
        (b"", "video/webm", Provider.DIRECT_WEBM),
        (HLS_HEAD, "application/vnd.apple.mpegurl", Provider.DIRECT_HLS),
        (HLS_HEAD, "text/plain", Provider.DIRECT_HLS),
        (b"\xef\xbb\xbf\r\n#EXTM3U\n", "application/octet-stream", Provider.DIRECT_HLS),
        (b"", "application/x-mpegURL".lower(), Provider.DIRECT_HLS),
        (b"", "audio/mpegurl", Provider.DIRECT_HLS),
    ],
)
def test_playable_files_and_streams(head: bytes, content_type: str, provider: Provider) -> None:
    check = _judge(head, content_type)
    assert check.supported
    assert check.provider is provider
    assert check.source_type is SourceType.EXTERNAL
    assert check.sync_support is SyncSupport.FULL
    assert check.source_id == URL
    assert check.reason is None


def test_a_server_that_ignores_range_answers_200_and_that_is_fine() -> None:
    assert _judge(MP4_HEAD, "video/mp4", status=200).provider is Provider.DIRECT_MP4


@pytest.mark.parametrize(
    ("head", "content_type", "says"),
    [
        (b"\x00\x00\x00\x1cftypM4A \x00\x00\x02\x00", "audio/mp4", "audio"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "image/avif", "image"),
        (b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00", "image/heic", "image"),
        (MKV_HEAD, "video/x-matroska", "Matroska"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "video/x-msvideo", "video/x-msvideo"),
        (b"\x89PNG\r\n\x1a\n", "image/png", "image"),
        (b"ID3\x03\x00", "audio/mpeg", "audio"),
        (b"hello, world\n", "text/plain", "text/plain"),
        (b'{"a": 1}', "application/json", "application/json"),
        (b"", "", "unknown"),
        (b"<?xml version='1.0'?><MPD>", "application/dash+xml", "application/dash+xml"),
    ],
)
def test_other_content_is_not_video(head: bytes, content_type: str, says: str) -> None:
    check = _judge(head, content_type)
    assert not check.supported
    assert check.reason is Reason.NOT_VIDEO
    assert says in check.message
    assert check.suggestion
    assert check.source_id is None


def test_video_formats_browsers_cannot_play_suggest_an_upload() -> None:
    assert (
        _judge(MKV_HEAD, "video/x-matroska").suggestion == "Try uploading the video file instead."
    )


def test_an_empty_file_is_not_video() -> None:
    assert _judge(b"", "video/mp4", status=416).reason is Reason.NOT_VIDEO


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 429, 500, 502, 503, 302])
def test_error_answers_are_unreachable(status: int) -> None:
    check = _judge(HTML_HEAD, "text/html", status=status)
    assert check.reason is Reason.UNREACHABLE
    assert str(status) in check.message


@pytest.mark.parametrize(
    ("xfo", "csp", "reason"),
    [
        ((), (), Reason.UNKNOWN_PROVIDER),
        (("DENY",), (), Reason.X_FRAME_OPTIONS),
        (("SAMEORIGIN",), (), Reason.X_FRAME_OPTIONS),
        (("sameorigin, deny",), (), Reason.X_FRAME_OPTIONS),
        (("ALLOW-FROM https://watch.example.org",), (), Reason.UNKNOWN_PROVIDER),
        (("nonsense",), (), Reason.UNKNOWN_PROVIDER),
        ((), ("frame-ancestors 'none'",), Reason.CSP_BLOCKED),
        ((), ("default-src 'self'; frame-ancestors 'self'",), Reason.CSP_BLOCKED),
        ((), ("frame-ancestors https://partner.example.net",), Reason.CSP_BLOCKED),
        ((), ("frame-ancestors *",), Reason.UNKNOWN_PROVIDER),
        ((), ("frame-ancestors https://watch.example.org",), Reason.UNKNOWN_PROVIDER),
        ((), ("default-src 'self'",), Reason.UNKNOWN_PROVIDER),  # no frame-ancestors
        # frame-ancestors decides when present: browsers then ignore X-Frame-Options.
        (("DENY",), ("frame-ancestors *",), Reason.UNKNOWN_PROVIDER),
        (("DENY",), ("frame-ancestors 'none'",), Reason.CSP_BLOCKED),
        (("DENY",), ("script-src 'self'",), Reason.X_FRAME_OPTIONS),
    ],
)
def test_web_pages_are_never_played_and_say_why(
    xfo: tuple[str, ...], csp: tuple[str, ...], reason: Reason
) -> None:
    check = _judge(HTML_HEAD, "text/html", xfo=xfo, csp=csp)
    assert not check.supported
    assert check.reason is reason
    assert check.suggestion == "Try uploading the video file instead."


def test_html_is_recognised_without_a_content_type() -> None:
    check = _judge(b"\n  <html lang='en'><body>", "application/octet-stream", xfo=("DENY",))
    assert check.reason is Reason.X_FRAME_OPTIONS
