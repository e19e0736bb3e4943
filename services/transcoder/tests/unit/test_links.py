"""Reading pasted links: YouTube, Vimeo, Dailymotion and DRM services by their link alone; junk
refused as ``invalid_url``; anything else normalized and left to be fetched."""

from __future__ import annotations

import pytest

from syncwatch.transcoder.domain.links import ExternalLink, Link, parse_link, read_link
from syncwatch.transcoder.domain.sources import (
    YOUTUBE_PRECISION_NOTICE,
    Provider,
    Reason,
    SourceCheck,
    SourceType,
    SyncSupport,
)

VIDEO_ID = "dQw4w9WgXcQ"


def _check(text: str) -> SourceCheck:
    verdict = read_link(text)
    assert isinstance(verdict, SourceCheck), verdict
    return verdict


@pytest.mark.parametrize(
    "text",
    [
        f"https://www.youtube.com/watch?v={VIDEO_ID}",
        f"https://youtube.com/watch?v={VIDEO_ID}",
        f"http://www.youtube.com/watch?v={VIDEO_ID}",
        f"https://m.youtube.com/watch?v={VIDEO_ID}&feature=share",
        f"https://music.youtube.com/watch?v={VIDEO_ID}&list=RDAMVM{VIDEO_ID}",
        f"https://www.youtube.com/watch?feature=player_embedded&v={VIDEO_ID}",
        f"https://www.youtube.com/watch?v={VIDEO_ID}&t=42s&list=PL123&index=2",
        f"https://www.youtube.com/watch?v={VIDEO_ID}#t=30",
        f"https://youtu.be/{VIDEO_ID}",
        f"https://youtu.be/{VIDEO_ID}?si=AbCdEf123&t=10",
        f"https://www.youtube.com/embed/{VIDEO_ID}",
        f"https://www.youtube.com/embed/{VIDEO_ID}?autoplay=1&start=5",
        f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}",
        f"https://www.youtube.com/shorts/{VIDEO_ID}",
        f"https://youtube.com/shorts/{VIDEO_ID}?feature=share",
        f"https://www.youtube.com/v/{VIDEO_ID}",
        f"https://WWW.YouTube.COM/watch?v={VIDEO_ID}",
        f"  https://www.youtube.com/watch?v={VIDEO_ID}  \n",
        f"www.youtube.com/watch?v={VIDEO_ID}",
        f"youtu.be/{VIDEO_ID}",
        f"//www.youtube.com/watch?v={VIDEO_ID}",
        f"https://www.youtube.com./watch?v={VIDEO_ID}",
    ],
)
def test_youtube_links_in_every_common_form(text: str) -> None:
    check = _check(text)
    assert check.supported
    assert check.source_type is SourceType.YOUTUBE
    assert check.provider is Provider.YOUTUBE
    assert check.source_id == VIDEO_ID
    assert check.sync_support is SyncSupport.COARSE
    assert check.precision_notice == YOUTUBE_PRECISION_NOTICE
    assert check.reason is None
    assert check.suggestion is None


def test_youtube_ids_keep_their_case_dashes_and_underscores() -> None:
    assert _check("https://youtu.be/a-B_c1D2e3F").source_id == "a-B_c1D2e3F"


def test_youtube_live_streams_say_they_add_their_own_delay() -> None:
    check = _check(f"https://www.youtube.com/live/{VIDEO_ID}?feature=shared")
    assert check.supported
    assert check.source_id == VIDEO_ID
    assert check.precision_notice is not None
    assert check.precision_notice.startswith(YOUTUBE_PRECISION_NOTICE)
    assert "Live streams" in check.precision_notice


@pytest.mark.parametrize(
    "text",
    [
        "https://www.youtube.com/",
        "https://www.youtube.com/@SomeChannel",
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        "https://www.youtube.com/playlist?list=PL1234567890",
        "https://www.youtube.com/results?search_query=cats",
        "https://www.youtube.com/watch",
    ],
)
def test_youtube_links_that_are_no_single_video(text: str) -> None:
    check = _check(text)
    assert not check.supported
    assert check.reason in (Reason.NOT_VIDEO, Reason.INVALID_URL)
    assert check.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
        "https://youtu.be/dQw4w9WgX!Q",
        "https://youtu.be/",
        "https://www.youtube.com/embed/<script>",
    ],
)
def test_broken_youtube_ids_are_invalid(text: str) -> None:
    check = _check(text)
    assert not check.supported
    assert check.reason in (Reason.INVALID_URL, Reason.NOT_VIDEO)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("https://vimeo.com/76979871", "https://vimeo.com/76979871"),
        ("vimeo.com/76979871", "https://vimeo.com/76979871"),
        ("https://www.vimeo.com/76979871?share=copy", "https://vimeo.com/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://vimeo.com/76979871"),
        ("https://player.vimeo.com/video/76979871?autoplay=1#t=3", "https://vimeo.com/76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://vimeo.com/76979871"),
        ("https://vimeo.com/groups/shortfilms/videos/76979871", "https://vimeo.com/76979871"),
        ("https://vimeo.com/showcase/123456/video/76979871", "https://vimeo.com/76979871"),
        # Unlisted videos play only with their hash, so it stays in the canonical URL.
        ("https://vimeo.com/76979871/a1b2c3d4e5", "https://vimeo.com/76979871/a1b2c3d4e5"),
        (
            "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&badge=0",
            "https://vimeo.com/76979871/a1b2c3d4e5",
        ),
    ],
)
def test_vimeo_videos_play_in_full_sync(text: str, canonical: str) -> None:
    check = _check(text)
    assert check.supported
    assert (check.source_type, check.provider) == (SourceType.EXTERNAL, Provider.VIMEO)
    assert check.sync_support is SyncSupport.FULL
    assert check.source_id == canonical
    assert check.precision_notice is None


@pytest.mark.parametrize(
    "text",
    ["https://vimeo.com/", "https://vimeo.com/someuser", "https://vimeo.com/channels/staffpicks"],
)
def test_vimeo_pages_that_are_no_video(text: str) -> None:
    check = _check(text)
    assert (check.supported, check.reason) == (False, Reason.NOT_VIDEO)


@pytest.mark.parametrize(
    "text",
    [
        "https://www.dailymotion.com/video/x8abcd1",
        "https://dailymotion.com/video/x8abcd1",
        "https://www.dailymotion.com/video/x8abcd1?playlist=x6hynp",
        "https://www.dailymotion.com/video/x8abcd1_some-old-title_news",
        "https://www.dailymotion.com/embed/video/x8abcd1?autoplay=1",
        "https://geo.dailymotion.com/player.html?video=x8abcd1",
        "https://dai.ly/x8abcd1",
        "dai.ly/x8abcd1",
    ],
)
def test_dailymotion_videos_play_with_partial_sync(text: str) -> None:
    check = _check(text)
    assert check.supported
    assert (check.source_type, check.provider) == (SourceType.EXTERNAL, Provider.DAILYMOTION)
    assert check.sync_support is SyncSupport.PARTIAL
    assert check.source_id == "https://www.dailymotion.com/video/x8abcd1"


@pytest.mark.parametrize(
    "text", ["https://www.dailymotion.com/", "https://www.dailymotion.com/playlist/x6hynp"]
)
def test_dailymotion_pages_that_are_no_video(text: str) -> None:
    assert _check(text).reason is Reason.NOT_VIDEO


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("https://www.netflix.com/watch/80100172", "Netflix"),
        ("https://netflix.com/title/80100172", "Netflix"),
        ("https://www.disneyplus.com/video/abc", "Disney+"),
        ("https://www.primevideo.com/detail/0ABC", "Prime Video"),
        ("https://www.amazon.com/gp/video/detail/B0ABC", "Prime Video"),
        ("https://www.amazon.co.uk/gp/video/detail/B0ABC", "Prime Video"),
        ("https://www.amazon.de/Amazon-Video/b?node=3010075031", "Prime Video"),
        ("https://www.hulu.com/watch/abc", "Hulu"),
        ("https://play.max.com/video/watch/abc", "Max"),
        ("https://www.hbomax.com/feature/abc", "HBO Max"),
        ("https://tv.apple.com/us/movie/abc/umc.cmc.123", "Apple TV+"),
        ("https://www.peacocktv.com/watch/playback/vod/abc", "Peacock"),
        ("https://www.paramountplus.com/shows/video/abc/", "Paramount+"),
        ("https://www.crunchyroll.com/watch/GRDQPM1ZY/abc", "Crunchyroll"),
    ],
)
def test_drm_services_are_refused_by_name(text: str, service: str) -> None:
    check = _check(text)
    assert not check.supported
    assert check.reason is Reason.DRM_PROTECTED
    assert service in check.message
    assert check.suggestion
    assert check.source_id is None


@pytest.mark.parametrize(
    "text",
    [
        "https://www.amazon.com/dp/B0ABC",  # a shop page, not Prime Video
        "https://www.apple.com/tv/",  # only tv.apple.com plays DRM video
        "https://notnetflix.com/clip.mp4",
        "https://imax.com/trailer.mp4",
    ],
)
def test_lookalikes_of_drm_services_are_fetched_like_any_link(text: str) -> None:
    assert isinstance(read_link(text), ExternalLink)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "not a url",
        "just some words.com and more",
        "ftp://example.com/video.mp4",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:video/mp4;base64,AAAA",
        "mailto:someone@example.com",
        "https://",
        "https:///path-only",
        "http://exa mple.com/",
        "https://example.com/a b.mp4",
        "https://example.com\\@evil.com/",
        "https://user:secret@example.com/video.mp4",
        "https://example.com@127.0.0.1/",
        "https://example.com:99999/",
        "https://example.com:abc/",
        "https://-bad-.example.com/",
        "https://exa_mple..com/",
        "https://[::1/",
        "https://[fe80::1%25eth0]/",
        "https://2130706433/",  # 127.0.0.1 as a browser reads it
        "https://0x7f.0.0.1/",
        "https://127.1/",
        "https://010.0.0.1/",
        "https://example.com:25/",  # SMTP: a port browsers never load from
        "https://example.com:0/",
        "https://" + "a" * 64 + ".com/",
        "https://example.com/" + "a" * 2048,
        "https://exa\u200bmple.com/",
        "https://\u2603\u2603\u2603.xn--/",
    ],
)
def test_junk_is_an_invalid_url(text: str) -> None:
    check = _check(text)
    assert not check.supported
    assert check.reason is Reason.INVALID_URL
    assert check.message
    assert check.suggestion
    assert (check.source_type, check.source_id, check.provider, check.sync_support) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("https://cdn.example.com/videos/clip.mp4", "https://cdn.example.com/videos/clip.mp4"),
        ("HTTPS://CDN.Example.COM/Videos/Clip.MP4", "https://cdn.example.com/Videos/Clip.MP4"),
        ("https://cdn.example.com:443/a.mp4#t=10", "https://cdn.example.com/a.mp4"),
        (
            "http://cdn.example.com:80/a.m3u8?token=x&y=1",
            "http://cdn.example.com/a.m3u8?token=x&y=1",
        ),
        ("http://cdn.example.com:8080/a.webm", "http://cdn.example.com:8080/a.webm"),
        ("https://cdn.example.com", "https://cdn.example.com/"),
        ("https://cdn.example.com./a.mp4", "https://cdn.example.com/a.mp4"),
        ("cdn.example.com/a.mp4", "https://cdn.example.com/a.mp4"),
        ("https://bücher.example/film.mp4", "https://xn--bcher-kva.example/film.mp4"),
        ("https://[2001:DB8::1]:8443/a.mp4", "https://[2001:db8::1]:8443/a.mp4"),
        ("http://127.0.0.1:8080/a.mp4", "http://127.0.0.1:8080/a.mp4"),
        ("https://example.com/a%20b.mp4?q=%2F", "https://example.com/a%20b.mp4?q=%2F"),
    ],
)
def test_other_links_are_normalized_and_left_to_fetch(text: str, normalized: str) -> None:
    verdict = read_link(text)
    assert isinstance(verdict, ExternalLink), verdict
    assert verdict.url == normalized


def test_a_parsed_link_exposes_its_parts() -> None:
    link = parse_link("https://Sub.Example.com:8443/a/b/?x=1&x=2")
    assert isinstance(link, Link)
    assert (link.scheme, link.host, link.port, link.path) == (
        "https",
        "sub.example.com",
        8443,
        "/a/b/",
    )
    assert link.segments == ["a", "b"]
    assert link.param("x") == "1"
    assert link.is_on("example.com")
    assert not link.is_on("ample.com")
