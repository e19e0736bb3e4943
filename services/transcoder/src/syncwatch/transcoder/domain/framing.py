"""Whether a web page may be shown inside our page: X-Frame-Options and CSP ``frame-ancestors``
(CSP Level 3 §6.4.2, with the source-expression matching of §6.7.2, reduced to origins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit


def x_frame_options_block(values: Iterable[str]) -> bool:
    """Whether X-Frame-Options keeps the page out of our frame (``DENY`` or ``SAMEORIGIN``; the
    obsolete ``ALLOW-FROM`` and unknown values are ignored, as browsers do)."""
    tokens = {t.strip().lower() for v in values for t in v.split(",")}
    return bool(tokens & {"deny", "sameorigin"})


_DEFAULT_PORT_OF = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# When the app's origins are not configured, judge against an origin no site lists by name: only
# '*' and scheme sources can admit it, as they would admit ours.
_UNKNOWN_ORIGIN = "https://syncwatch.invalid"


@dataclass(frozen=True)
class _Origin:
    scheme: str
    host: str
    port: int | None

    @classmethod
    def parse(cls, text: str) -> _Origin | None:
        try:
            parts = urlsplit(text.strip())
            port = parts.port
        except ValueError:
            return None
        if not parts.scheme or not parts.hostname:
            return None
        scheme = parts.scheme.lower()
        return cls(scheme, parts.hostname.lower(), port or _DEFAULT_PORT_OF.get(scheme))


def _scheme_matches(source_scheme: str, origin_scheme: str) -> bool:
    # http: admits https (an upgrade), as CSP matching does.
    return source_scheme == origin_scheme or (source_scheme, origin_scheme) == ("http", "https")


_HOST_SOURCE = re.compile(
    r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<host>\*|(?:\*\.)?[a-z0-9.-]+)"
    r"(?::(?P<port>\*|[0-9]+))?(?:/.*)?$"
)


def _source_admits(source: str, origin: _Origin, page: _Origin | None) -> bool:  # noqa: PLR0911 - one return per kind of source expression
    s = source.lower()
    if s == "*":
        return origin.scheme in ("http", "https")
    if s == "'self'":
        return (
            page is not None
            and _scheme_matches(page.scheme, origin.scheme)
            and ((page.host, page.port) == (origin.host, origin.port))
        )
    if s.endswith(":") and re.fullmatch(r"[a-z][a-z0-9+.-]*:", s):
        return _scheme_matches(s[:-1], origin.scheme)
    match = _HOST_SOURCE.match(s)
    if match is None or s.startswith("'"):
        return False
    scheme, host, port = match["scheme"], match["host"], match["port"]
    if scheme and not _scheme_matches(scheme, origin.scheme):
        return False
    if not scheme and origin.scheme not in ("http", "https"):
        return False
    if host.startswith("*."):
        if not origin.host.endswith(host[1:]):
            return False
    elif host != origin.host:
        return False
    if port == "*":
        return True
    if not port:
        # No port: the default one of the origin's scheme (which also covers an http→https upgrade).
        return origin.port == _DEFAULT_PORT_OF.get(origin.scheme)
    # Port 80 admits 443 along with the upgrade of http to https.
    return int(port) == origin.port or (int(port), origin.port) == (80, 443)


def _frame_ancestors(policy: str) -> list[str] | None:
    """The source list of ``frame-ancestors`` in one serialized policy (the first one counts)."""
    for directive in policy.split(";"):
        tokens = directive.split()
        if tokens and tokens[0].lower() == "frame-ancestors":
            return tokens[1:]
    return None


def frame_ancestors_allow(
    policies: Iterable[str], origins: Sequence[str], page_origin: str
) -> bool | None:
    """Whether the page's CSP lets one of our ``origins`` frame it.

    None when no policy has ``frame-ancestors`` (then X-Frame-Options decides). Every policy is
    enforced, so one of our origins must be admitted by all of them. ``policies`` are header values;
    one header may carry several policies separated by commas.
    """
    lists = [
        found
        for header in policies
        for policy in header.split(",")
        if (found := _frame_ancestors(policy)) is not None
    ]
    if not lists:
        return None
    page = _Origin.parse(page_origin)
    candidates = [o for o in (_Origin.parse(t) for t in origins or [_UNKNOWN_ORIGIN]) if o]
    return any(
        all(any(_source_admits(src, origin, page) for src in sources) for sources in lists)
        for origin in candidates
    )
