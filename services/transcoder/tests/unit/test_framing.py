"""X-Frame-Options and CSP frame-ancestors: may one of our origins show the page in a frame?"""

from __future__ import annotations

import pytest

from syncwatch.transcoder.domain.framing import frame_ancestors_allow, x_frame_options_block

OURS = ("https://watch.example.org",)
PAGE = "https://videos.example.com"


@pytest.mark.parametrize(
    ("values", "blocks"),
    [
        ((), False),
        (("DENY",), True),
        (("deny",), True),
        (("SAMEORIGIN",), True),
        ((" SameOrigin ",), True),
        (("ALLOW-FROM https://watch.example.org",), False),
        (("SAMEORIGIN", "DENY"), True),
        (("invalid",), False),
    ],
)
def test_x_frame_options(values: tuple[str, ...], blocks: bool) -> None:
    assert x_frame_options_block(values) is blocks


@pytest.mark.parametrize(
    ("policies", "allowed"),
    [
        ((), None),
        (("default-src 'self'; script-src 'none'",), None),
        (("frame-ancestors 'none'",), False),
        (("frame-ancestors",), False),  # an empty list admits nobody
        (("FRAME-ANCESTORS 'NONE'",), False),
        (("frame-ancestors 'self'",), False),
        (("frame-ancestors *",), True),
        (("frame-ancestors https:",), True),
        (("frame-ancestors http:",), True),  # http: admits https origins too
        (("frame-ancestors wss:",), False),
        (("frame-ancestors https://watch.example.org",), True),
        (("frame-ancestors watch.example.org",), True),
        (("frame-ancestors https://*.example.org",), True),
        (("frame-ancestors *.example.org",), True),
        (("frame-ancestors https://watch.example.org:443",), True),
        (("frame-ancestors https://watch.example.org:8443",), False),
        (("frame-ancestors https://watch.example.org:*",), True),
        (("frame-ancestors http://watch.example.org",), True),
        (("frame-ancestors https://other.example.org https://partner.example.net",), False),
        (("frame-ancestors 'nonce-abc' 'sha256-xyz'",), False),
        # Every enforced policy must admit us: two headers, or two policies in one header.
        (("frame-ancestors *", "frame-ancestors 'none'"), False),
        (("frame-ancestors *, frame-ancestors 'none'",), False),
        (("frame-ancestors *", "frame-ancestors https://watch.example.org"), True),
        # Only the first frame-ancestors of one policy counts.
        (("frame-ancestors *; frame-ancestors 'none'",), True),
    ],
)
def test_frame_ancestors(policies: tuple[str, ...], allowed: bool | None) -> None:
    assert frame_ancestors_allow(policies, OURS, PAGE) is allowed


def test_self_admits_only_the_page_own_origin() -> None:
    assert frame_ancestors_allow(["frame-ancestors 'self'"], [PAGE], PAGE) is True
    assert frame_ancestors_allow(["frame-ancestors 'self'"], OURS, PAGE) is False


def test_one_of_several_origins_is_enough() -> None:
    origins = ["http://127.0.0.1:8080", "https://watch.example.org"]
    assert frame_ancestors_allow(["frame-ancestors https://watch.example.org"], origins, PAGE)


def test_without_known_origins_only_wildcards_admit_us() -> None:
    assert frame_ancestors_allow(["frame-ancestors *"], [], PAGE) is True
    assert frame_ancestors_allow(["frame-ancestors https:"], [], PAGE) is True
    assert frame_ancestors_allow(["frame-ancestors https://watch.example.org"], [], PAGE) is False
