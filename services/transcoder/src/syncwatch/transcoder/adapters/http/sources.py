"""``POST /api/videos/validate-source``: can this pasted link be watched together?"""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from syncwatch.core.openapi import problem_responses
from syncwatch.transcoder.adapters.http.schemas import SourceCheckAnswer, ValidateSourceBody
from syncwatch.transcoder.sources import SourceValidator

Sources = NamedDependency[SourceValidator]

#: A body holds one URL of at most 2048 characters; 16 KiB leaves room for JSON escapes.
MAX_BODY_BYTES = 16 * 1024


class SourceController(Controller):
    """Checking video links before a room switches to them."""

    path = "/api/videos"
    tags = ["videos"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @post(
        "/validate-source",
        status_code=200,
        summary="Check whether a pasted link can be watched together",
        request_max_body_size=MAX_BODY_BYTES,
        responses=problem_responses(
            {400: ["invalid_request"], 413: ["too_large"], 429: ["rate_limited"]}
        ),
    )
    async def validate_source(
        self, data: JSONBody[ValidateSourceBody], sources: Sources
    ) -> SourceCheckAnswer:
        """200 for anything pasted: ``supported``, or a ``reason`` with a message and a suggestion.
        Only a body that is not ``{"url": string}`` (at most 2048 characters) is a 400."""
        return SourceCheckAnswer.of(await sources.validate(data.url))
