"""What a fetched link answered: a video file or stream we play ourselves, a web page, or
something else (spec §4.5.3). Magic bytes decide before the Content-Type header, which servers often
get wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from syncwatch.transcoder.domain.framing import frame_ancestors_allow, x_frame_options_block
from syncwatch.transcoder.domain.links import ExternalLink
from syncwatch.transcoder.domain.sources import (
    UPLOAD_SUGGESTION,
    Provider,
    Reason,
    SourceCheck,
    refused,
    supported,
)


@dataclass(frozen=True)
class FetchedResource:
    """The end of a fetch (after redirects): what judging it needs."""

    #: Origin of the URL that answered (``https://host[:port]``), for ``'self'`` in CSP.
    origin: str
    status: int
    #: The media type, lowercase, without parameters; ``""`` when absent.
    content_type: str
    #: At most ``SNIFF_BYTES`` of the body.
    head: bytes
    x_frame_options: tuple[str, ...] = ()
    content_security_policy: tuple[str, ...] = ()


_HLS_TYPES = frozenset(
    {"application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl"}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_MP4_TYPES = frozenset({"video/mp4", "video/x-m4v", "application/mp4"})
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
# ISO BMFF brands that are still images (AVIF, HEIF) or audio only (M4A, M4B, M4P), not video.
_IMAGE_BRANDS = frozenset(
    {b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
)
_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P "})
_UTF8_BOM = b"\xef\xbb\xbf"


def _text_start(head: bytes) -> bytes:
    """The body after a UTF-8 BOM and leading whitespace, lowercased, for sniffing text formats."""
    return head[:1024].removeprefix(_UTF8_BOM).lstrip()[:64].lower()


def _is_html(head: bytes) -> bool:
    start = _text_start(head)
    return start.startswith((b"<!doctype html", b"<html"))


def _not_video(what: str, *, upload: bool = False) -> SourceCheck:
    return refused(
        Reason.NOT_VIDEO,
        f"That link leads to {what}, not to a video SyncWatch can play.",
        suggestion=UPLOAD_SUGGESTION if upload else None,
    )


def _iso_bmff(link: ExternalLink, brand: bytes) -> SourceCheck:
    """An ISO BMFF file (``ftyp`` box), by its major brand."""
    if brand in _IMAGE_BRANDS:
        return _not_video("an image")
    if brand in _AUDIO_BRANDS:
        return _not_video("an audio file")
    return supported(Provider.DIRECT_MP4, link.url)


def _by_magic(link: ExternalLink, head: bytes) -> SourceCheck | None:
    if head[4:8] == b"ftyp":
        return _iso_bmff(link, head[8:12])
    if head.startswith(_EBML_MAGIC):
        if b"matroska" in head[:64]:
            # The DocType says Matroska (.mkv), which browsers play unreliably or not at all.
            return _not_video("a Matroska (.mkv) file, which browsers can't play", upload=True)
        return supported(Provider.DIRECT_WEBM, link.url)
    if _text_start(head).startswith(b"#extm3u"):
        return supported(Provider.DIRECT_HLS, link.url)
    return None


_PLAYABLE_TYPES: dict[str, Provider] = {
    **dict.fromkeys(_MP4_TYPES, Provider.DIRECT_MP4),
    "video/webm": Provider.DIRECT_WEBM,
    **dict.fromkeys(_HLS_TYPES, Provider.DIRECT_HLS),
}


def _by_type(link: ExternalLink, media_type: str) -> SourceCheck:
    provider = _PLAYABLE_TYPES.get(media_type)
    if provider is not None:
        return supported(provider, link.url)
    kind = media_type.split("/", 1)[0]
    if kind == "video":
        return _not_video(f"a video format browsers can't play ({media_type})", upload=True)
    what = {"audio": "an audio file", "image": "an image"}.get(kind)
    if what is None:
        what = f"a file of type {media_type}" if media_type else "a file of unknown type"
    return _not_video(what)


def judge_resource(
    link: ExternalLink, resource: FetchedResource, origins: Sequence[str] = ()
) -> SourceCheck:
    """The verdict on a fetched link; ``origins`` are the app's own (the would-be frame parents)."""
    if resource.status == 416:
        # Nothing at byte 0: an empty file.
        return _not_video("an empty file")
    if not 200 <= resource.status < 300:
        return refused(
            Reason.UNREACHABLE,
            f"SyncWatch couldn't load that link: the server answered {resource.status}.",
        )
    by_magic = _by_magic(link, resource.head)
    if by_magic is not None:
        return by_magic
    if resource.content_type in _HTML_TYPES or _is_html(resource.head):
        return _judge_page(resource, origins)
    return _by_type(link, resource.content_type)


def _judge_page(resource: FetchedResource, origins: Sequence[str]) -> SourceCheck:
    """A web page: we never scrape one for its video; say whether it could even be embedded."""
    allowed = frame_ancestors_allow(resource.content_security_policy, origins, resource.origin)
    # Browsers ignore X-Frame-Options when the CSP has frame-ancestors.
    if allowed is False:
        return refused(Reason.CSP_BLOCKED)
    if allowed is None and x_frame_options_block(resource.x_frame_options):
        return refused(Reason.X_FRAME_OPTIONS)
    return refused(Reason.UNKNOWN_PROVIDER)
