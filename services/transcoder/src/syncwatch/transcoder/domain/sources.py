"""The verdict on a pasted link as a video source: the vocabulary of spec §4.5.

How a verdict is reached lives beside this: ``links`` (what the link alone says), ``content`` (what a
fetched link answered), ``framing`` (whether a page may be shown in our frame). The verdict is a
``SourceCheck``: supported or not, why not, a sentence for people and what to try instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

#: The longest link the endpoint reads (the body's ``url`` is refused above it).
MAX_URL_LENGTH = 2048
#: How much of a fetched body is read to tell what it is.
SNIFF_BYTES = 64 * 1024
#: Redirects followed when fetching a link; one more is "unreachable".
MAX_REDIRECTS = 3


class SourceType(enum.StrEnum):
    """How a room plays the source: YouTube's player, or another player/our ``<video>``."""

    YOUTUBE = "youtube"
    EXTERNAL = "external"


class Provider(enum.StrEnum):
    """Where the video comes from."""

    YOUTUBE = "youtube"
    VIMEO = "vimeo"
    DAILYMOTION = "dailymotion"
    DIRECT_MP4 = "direct_mp4"
    DIRECT_WEBM = "direct_webm"
    DIRECT_HLS = "direct_hls"


class SyncSupport(enum.StrEnum):
    """How closely viewers stay together: ``full`` (rate control and precise seeks), ``partial``
    (an official player with fewer controls), ``coarse`` (kept together by seeks only)."""

    FULL = "full"
    PARTIAL = "partial"
    COARSE = "coarse"


class Reason(enum.StrEnum):
    """Why a source is not supported (spec §4.5.3 plus what fetching a link can find)."""

    X_FRAME_OPTIONS = "x_frame_options"
    CSP_BLOCKED = "csp_blocked"
    DRM_PROTECTED = "drm_protected"
    UNKNOWN_PROVIDER = "unknown_provider"
    UNREACHABLE = "unreachable"
    NOT_VIDEO = "not_video"
    INVALID_URL = "invalid_url"
    PRIVATE_ADDRESS = "private_address"


YOUTUBE_PRECISION_NOTICE = (
    "YouTube's player changes speed only in coarse steps, so SyncWatch keeps everyone together "
    "with small seeks; sync within ±1 frame is not guaranteed."
)
UPLOAD_SUGGESTION = "Try uploading the video file instead."

_PROVIDERS: dict[Provider, tuple[SourceType, SyncSupport, str]] = {
    Provider.YOUTUBE: (
        SourceType.YOUTUBE,
        SyncSupport.COARSE,
        "A YouTube video: it plays in YouTube's own player.",
    ),
    Provider.VIMEO: (
        SourceType.EXTERNAL,
        SyncSupport.FULL,
        "A Vimeo video: it plays in Vimeo's official player, fully in sync.",
    ),
    Provider.DAILYMOTION: (
        SourceType.EXTERNAL,
        SyncSupport.PARTIAL,
        "A Dailymotion video: it plays in Dailymotion's player, whose sync is less precise.",
    ),
    Provider.DIRECT_MP4: (
        SourceType.EXTERNAL,
        SyncSupport.FULL,
        "A direct MP4 video: it plays fully in sync.",
    ),
    Provider.DIRECT_WEBM: (
        SourceType.EXTERNAL,
        SyncSupport.FULL,
        "A direct WebM video: it plays fully in sync.",
    ),
    Provider.DIRECT_HLS: (
        SourceType.EXTERNAL,
        SyncSupport.FULL,
        "An HLS stream (.m3u8): it plays fully in sync.",
    ),
}

_REFUSALS: dict[Reason, tuple[str, str]] = {
    Reason.INVALID_URL: (
        "That isn't a web link.",
        "Paste a full link that starts with https://, or upload the video file.",
    ),
    Reason.PRIVATE_ADDRESS: (
        "That link points into a private network, which SyncWatch can't reach.",
        "Use a public link, or upload the video file instead.",
    ),
    Reason.UNREACHABLE: (
        "SyncWatch couldn't load that link.",
        "Check that the link opens in your browser, or upload the video file instead.",
    ),
    Reason.NOT_VIDEO: (
        "That link doesn't lead to a video.",
        "Link to the video file itself (.mp4, .webm or .m3u8), or upload it instead.",
    ),
    Reason.UNKNOWN_PROVIDER: (
        "That page isn't from a site SyncWatch can play in sync.",
        UPLOAD_SUGGESTION,
    ),
    Reason.X_FRAME_OPTIONS: (
        "That site doesn't allow its pages to be shown inside other sites (X-Frame-Options).",
        UPLOAD_SUGGESTION,
    ),
    Reason.CSP_BLOCKED: (
        "That site's security policy doesn't allow it to be shown inside other sites.",
        UPLOAD_SUGGESTION,
    ),
    Reason.DRM_PROTECTED: (
        "That service protects its videos with DRM, so they can't be played in a watch party.",
        "Use a YouTube, Vimeo or Dailymotion link, a direct video link, or upload a video you own.",
    ),
}


@dataclass(frozen=True)
class SourceCheck:
    """The verdict on one link, as the endpoint answers it."""

    supported: bool
    message: str
    source_type: SourceType | None = None
    #: The YouTube video id, or the canonical/normalized URL of an external source.
    source_id: str | None = None
    provider: Provider | None = None
    sync_support: SyncSupport | None = None
    reason: Reason | None = None
    suggestion: str | None = None
    precision_notice: str | None = None

    @property
    def outcome(self) -> str:
        """The provider when supported, else the reason (a bounded label for metrics)."""
        return str(self.provider if self.supported else self.reason)


def supported(
    provider: Provider, source_id: str, *, message: str | None = None, notice: str | None = None
) -> SourceCheck:
    """A playable source of ``provider``."""
    source_type, sync, default_message = _PROVIDERS[provider]
    return SourceCheck(
        supported=True,
        message=message or default_message,
        source_type=source_type,
        source_id=source_id,
        provider=provider,
        sync_support=sync,
        precision_notice=notice,
    )


def refused(
    reason: Reason, message: str | None = None, *, suggestion: str | None = None
) -> SourceCheck:
    """An unsupported source, with the reason's own message and suggestion unless given."""
    default_message, default_suggestion = _REFUSALS[reason]
    return SourceCheck(
        supported=False,
        message=message or default_message,
        reason=reason,
        suggestion=suggestion or default_suggestion,
    )
