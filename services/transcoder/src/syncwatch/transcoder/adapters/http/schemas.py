"""Request and response bodies of the videos REST API (camelCase JSON), per docs/api/videos.md."""

from __future__ import annotations

from typing import Annotated

import msgspec

from syncwatch.transcoder.domain.sources import (
    MAX_URL_LENGTH,
    Provider,
    Reason,
    SourceCheck,
    SourceType,
    SyncSupport,
)


class ValidateSourceBody(msgspec.Struct, rename="camel", kw_only=True):
    """``POST /api/videos/validate-source``: what someone pasted, as they pasted it."""

    url: Annotated[str, msgspec.Meta(max_length=MAX_URL_LENGTH)]


class SourceCheckAnswer(msgspec.Struct, rename="camel", kw_only=True):
    """Whether the link can be watched together, and how well; every member is always present."""

    supported: bool
    source_type: SourceType | None
    source_id: str | None
    provider: Provider | None
    sync_support: SyncSupport | None
    reason: Reason | None
    message: str
    suggestion: str | None
    precision_notice: str | None

    @classmethod
    def of(cls, check: SourceCheck) -> SourceCheckAnswer:
        """The answer for a verdict."""
        return cls(
            supported=check.supported,
            source_type=check.source_type,
            source_id=check.source_id,
            provider=check.provider,
            sync_support=check.sync_support,
            reason=check.reason,
            message=check.message,
            suggestion=check.suggestion,
            precision_notice=check.precision_notice,
        )
