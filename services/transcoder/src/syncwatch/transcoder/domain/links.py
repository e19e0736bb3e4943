"""What a pasted link alone says: http(s) or not, YouTube, Vimeo, Dailymotion, a DRM service — or
an ``ExternalLink`` whose content must be fetched to know (spec §4.5).

Parsing is strict where browsers and URL parsers disagree (backslashes, whitespace, numeric hosts),
so that the host checked here and fetched later is the host a browser would load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from syncwatch.transcoder.domain.addresses import parse_address
from syncwatch.transcoder.domain.sources import (
    MAX_URL_LENGTH,
    YOUTUBE_PRECISION_NOTICE,
    Provider,
    Reason,
    SourceCheck,
    refused,
    supported,
)

_LIVE_NOTICE = " Live streams add a delay of their own that differs between viewers."


@dataclass(frozen=True)
class Link:
    """An http(s) URL split into checked, normalized parts."""

    scheme: str
    #: ASCII (IDNA) and lowercase, without a trailing dot; an IPv6 literal without brackets.
    host: str
    port: int | None
    #: As given (percent-encoding kept), ``/`` when empty.
    path: str
    query: str

    @property
    def url(self) -> str:
        """The normalized URL: lowercase scheme and host, default port and fragment dropped."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port is not None else ""
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{host}{port}{self.path}{query}"

    def is_on(self, *domains: str) -> bool:
        """Whether the host is one of ``domains`` or a subdomain of one."""
        return any(self.host == d or self.host.endswith(f".{d}") for d in domains)

    @property
    def segments(self) -> list[str]:
        """The non-empty path segments."""
        return [s for s in self.path.split("/") if s]

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name``."""
        values = parse_qs(self.query).get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class ExternalLink:
    """A link only its content can classify: it must be fetched."""

    link: Link

    @property
    def url(self) -> str:
        """The normalized URL, which is also the ``sourceId`` of a playable file."""
        return self.link.url


_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# What people paste without a scheme: "youtu.be/…", "www.example.com/video.mp4".
_BARE_HOST = re.compile(r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}\.?(?::\d{1,5})?(?:[/?#]|$)")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
# A last label a browser reads as a number makes the whole host an IPv4 address (WHATWG URL).
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# The Fetch Standard's "bad ports": browsers refuse to load anything from them, so no video can be
# played from there, and fetching them would only let people probe mail or IRC servers through us.
_BAD_PORTS = frozenset(
    {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102}
    | {103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427}
    | {465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989}
    | {990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665}
    | {6666, 6667, 6668, 6669, 6679, 6697, 10080}
)


def _invalid(message: str | None = None) -> SourceCheck:
    return refused(Reason.INVALID_URL, message)


def _ascii_host(raw: str) -> str | None:
    """The host in ASCII (IDNA for international names), or None when it is not a valid name."""
    host = raw.rstrip(".")
    if not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    if _NUMERIC_LABEL.match(labels[-1]):
        # Browsers read hosts like 2130706433 or 0x7f.1 as IPv4 addresses; accept only the usual
        # dotted form so that what we check and what a browser loads are the same address.
        address = parse_address(host)
        if address is None or address.version != 4:
            return None
    return host


def _with_scheme(text: str) -> str | SourceCheck:
    """Pasted text as an absolute URL string (``https://`` added to a bare host), or a refusal."""
    candidate = text.strip()
    if not candidate or len(candidate) > MAX_URL_LENGTH:
        return _invalid()
    if any(c.isspace() or not c.isprintable() or c == "\\" for c in candidate):
        # Browsers and URL parsers disagree on backslashes and stray whitespace; refuse them
        # rather than check one host and play another.
        return _invalid("That isn't a web link: it contains spaces or characters links can't have.")
    if candidate.startswith("//"):
        return f"https:{candidate}"
    if _HAS_SCHEME.match(candidate):
        return candidate
    if _BARE_HOST.match(candidate):
        return f"https://{candidate}"
    return _invalid()


def _host_of(netloc: str, hostname: str) -> str | None:
    """The checked ASCII host, or None."""
    if netloc.startswith("["):
        address = parse_address(hostname) if "%" not in hostname else None
        return hostname.lower() if address is not None and address.version == 6 else None
    return _ascii_host(hostname)


def parse_link(text: str) -> Link | SourceCheck:  # noqa: PLR0911 - one return per refusal
    """``text`` as an http(s) link, or the ``invalid_url`` answer saying what is wrong with it."""
    candidate = _with_scheme(text)
    if isinstance(candidate, SourceCheck):
        return candidate
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        return _invalid()
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return _invalid("Only web links (http:// or https://) can be played.")
    if "@" in parts.netloc:
        return _invalid("Links with a user name or password in them can't be shared in a room.")
    host = _host_of(parts.netloc, parts.hostname or "")
    if host is None:
        return _invalid()
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    if port is not None and (port == 0 or port in _BAD_PORTS):
        return _invalid(f"Browsers don't load videos from port {port}.")
    return Link(scheme=scheme, host=host, port=port, path=parts.path or "/", query=parts.query)


# YouTube -------------------------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
# Path forms whose next segment is the video id.
_YOUTUBE_ID_PATHS = frozenset({"embed", "shorts", "live", "v", "e", "watch"})


def _youtube(link: Link) -> SourceCheck:
    segments = link.segments
    if link.is_on("youtu.be"):
        video_id = segments[0] if segments else None
    elif segments[:1] == ["watch"] and len(segments) == 1:
        video_id = link.param("v")
    elif len(segments) >= 2 and segments[0] in _YOUTUBE_ID_PATHS:
        video_id = segments[1]
    else:
        return refused(
            Reason.NOT_VIDEO,
            "That YouTube link isn't a single video (it may be a channel, a playlist or a search).",
            suggestion="Open the video on YouTube and copy its link.",
        )
    if video_id is None or not _YOUTUBE_ID.match(video_id):
        return _invalid("That YouTube link is incomplete: its video id should be 11 characters.")
    notice = YOUTUBE_PRECISION_NOTICE
    if segments[:1] == ["live"]:
        notice += _LIVE_NOTICE
    return supported(Provider.YOUTUBE, video_id, notice=notice)


# Vimeo ---------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"^[0-9]{1,20}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,40}$")


def _vimeo(link: Link) -> SourceCheck:
    s = link.segments
    video_id: str | None = None
    private_hash: str | None = None
    if link.host == "player.vimeo.com":
        if len(s) >= 2 and s[0] == "video":
            video_id, private_hash = s[1], link.param("h")
    elif s and _DIGITS.match(s[0]):
        # vimeo.com/<id> and, for an unlisted video, vimeo.com/<id>/<hash>
        video_id = s[0]
        private_hash = s[1] if len(s) > 1 else None
    elif len(s) == 3 and s[0] == "channels":
        video_id = s[2]  # vimeo.com/channels/<channel>/<id>
    elif len(s) == 4 and (s[0], s[2]) in {
        ("groups", "videos"),
        ("showcase", "video"),
        ("album", "video"),
    }:
        video_id = s[3]
    elif len(s) == 3 and s[:2] == ["manage", "videos"]:
        video_id = s[2]
    if video_id is None or not _DIGITS.match(video_id):
        return refused(
            Reason.NOT_VIDEO,
            "That Vimeo link isn't a single video.",
            suggestion="Open the video on Vimeo and copy its link.",
        )
    canonical = f"https://vimeo.com/{video_id}"
    if private_hash and _VIMEO_HASH.match(private_hash):
        # An unlisted video plays only with its hash; the room's player needs it too.
        canonical += f"/{private_hash}"
    return supported(Provider.VIMEO, canonical)


# Dailymotion ---------------------------------------------------------------------------------------

_DAILYMOTION_ID = re.compile(r"^[A-Za-z0-9]{3,32}$")


def _dailymotion(link: Link) -> SourceCheck:
    s = link.segments
    raw: str | None = None
    if link.is_on("dai.ly"):
        raw = s[0] if s else None
    elif len(s) >= 2 and s[0] == "video":
        raw = s[1]
    elif len(s) >= 3 and s[:2] == ["embed", "video"]:
        raw = s[2]
    elif link.host == "geo.dailymotion.com":
        raw = link.param("video")
    # Old links carry a title after the id: /video/x7tgad0_some-title
    video_id = raw.split("_", 1)[0] if raw else None
    if video_id is None or not _DAILYMOTION_ID.match(video_id):
        return refused(
            Reason.NOT_VIDEO,
            "That Dailymotion link isn't a single video.",
            suggestion="Open the video on Dailymotion and copy its link.",
        )
    return supported(Provider.DAILYMOTION, f"https://www.dailymotion.com/video/{video_id}")


# DRM services --------------------------------------------------------------------------------------

#: Subscription services whose videos are DRM-protected: never embeddable, never to be bypassed.
DRM_SERVICES: dict[str, str] = {
    "netflix.com": "Netflix",
    "disneyplus.com": "Disney+",
    "hotstar.com": "Disney+ Hotstar",
    "primevideo.com": "Prime Video",
    "hulu.com": "Hulu",
    "max.com": "Max",
    "hbomax.com": "HBO Max",
    "tv.apple.com": "Apple TV+",
    "peacocktv.com": "Peacock",
    "paramountplus.com": "Paramount+",
    "crunchyroll.com": "Crunchyroll",
    "funimation.com": "Funimation",
    "discoveryplus.com": "discovery+",
    "starz.com": "Starz",
    "showtime.com": "Showtime",
    "mubi.com": "MUBI",
    "nowtv.com": "NOW",
    "britbox.com": "BritBox",
    "sling.com": "Sling TV",
    "fubo.tv": "Fubo",
    "vudu.com": "Vudu",
    "fandangoathome.com": "Fandango at Home",
    "canalplus.com": "Canal+",
    "stan.com.au": "Stan",
}
# Amazon's stores serve Prime Video under /gp/video (and /Amazon-Video/) on every country's domain.
_AMAZON_HOST = re.compile(
    r"(?:^|\.)amazon\.(?:com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|se|pl|com\.be|com\.tr|ae|sa|"
    r"eg|in|co\.jp|com\.au|sg)$"
)
_AMAZON_VIDEO_PATH = re.compile(r"^/(?:gp/video|amazon-video)(?:/|$)", re.IGNORECASE)


def drm_service(link: Link) -> str | None:
    """The name of the DRM-protected service ``link`` belongs to, if any."""
    for domain, name in DRM_SERVICES.items():
        if link.is_on(domain):
            return name
    if _AMAZON_HOST.search(link.host) and _AMAZON_VIDEO_PATH.match(link.path):
        return "Prime Video"
    return None


def identify(link: Link) -> SourceCheck | ExternalLink:
    """What the link's host and path alone say, or ``ExternalLink`` when its content must."""
    if link.is_on("youtube.com", "youtube-nocookie.com", "youtu.be"):
        return _youtube(link)
    if link.is_on("vimeo.com"):
        return _vimeo(link)
    if link.is_on("dailymotion.com", "dai.ly"):
        return _dailymotion(link)
    service = drm_service(link)
    if service is not None:
        return refused(
            Reason.DRM_PROTECTED,
            f"{service} protects its videos with DRM, so they can't be played in a watch party.",
        )
    return ExternalLink(link)


def read_link(text: str) -> SourceCheck | ExternalLink:
    """The verdict on pasted ``text`` when the link alone decides, else the link to fetch."""
    link = parse_link(text)
    if isinstance(link, SourceCheck):
        return link
    return identify(link)
