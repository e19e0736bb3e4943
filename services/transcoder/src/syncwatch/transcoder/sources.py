"""Use case: tell someone whether the link they pasted can be watched together (spec §4.5).

The link alone decides most cases (``domain.links.read_link``); any other http(s) link is fetched
(at most ``MAX_REDIRECTS`` redirects, every hop checked against the address policy, one deadline for
the whole probe) and judged by what it answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from syncwatch.core.logs import get_logger
from syncwatch.transcoder.adapters.source_fetch import AddressRefused, SourceFetcher, Unreachable
from syncwatch.transcoder.domain.content import judge_resource
from syncwatch.transcoder.domain.links import ExternalLink, read_link
from syncwatch.transcoder.domain.sources import MAX_REDIRECTS, Reason, SourceCheck, refused
from syncwatch.transcoder.metrics import SOURCE_CHECKS

log = get_logger(__name__)


class SourceValidator:
    """Validates pasted links; ``origins`` are the app's own, the frames a page would be shown in."""

    def __init__(
        self, fetcher: SourceFetcher, *, timeout_s: float, origins: Sequence[str] = ()
    ) -> None:
        self._fetcher = fetcher
        self._timeout_s = timeout_s
        self._origins = tuple(origins)

    async def validate(self, text: str) -> SourceCheck:
        """The verdict on ``text``: never raises for anything a person may paste."""
        first = read_link(text)
        if isinstance(first, SourceCheck):
            check = first
        else:
            try:
                async with asyncio.timeout(self._timeout_s):
                    check = await self._probe(first)
            except TimeoutError:
                check = refused(Reason.UNREACHABLE, "The server didn't answer in time.")
            # The host only: paths and queries of media links often carry signed tokens.
            log.info("source link fetched", host=first.link.host, outcome=check.outcome)
        SOURCE_CHECKS.labels(check.outcome).inc()
        return check

    async def _probe(self, link: ExternalLink) -> SourceCheck:
        url = link.url
        async with self._fetcher.session() as session:
            for hop in range(MAX_REDIRECTS + 1):
                try:
                    answer = await session.fetch(url)
                except AddressRefused:
                    return refused(Reason.PRIVATE_ADDRESS)
                except Unreachable as exc:
                    return refused(Reason.UNREACHABLE, exc.message)
                if answer.location is None:
                    return judge_resource(link, answer.resource, self._origins)
                if hop == MAX_REDIRECTS:
                    break
                target = read_link(answer.location)
                if isinstance(target, SourceCheck):
                    # A short link to YouTube is YouTube; a redirect to something that is no web
                    # link (or to a refused port) is a dead end.
                    if target.reason is Reason.INVALID_URL:
                        return refused(
                            Reason.UNREACHABLE,
                            "That link redirects to something that isn't a web link.",
                        )
                    return target
                url = target.url
        return refused(Reason.UNREACHABLE, f"That link redirects more than {MAX_REDIRECTS} times.")
