"""OpenAPI descriptions of our error responses, so a service's schema lists what each endpoint answers.

``errors.SyncWatchError`` is not a Litestar ``HTTPException``, so Litestar's ``raises=`` cannot describe
it; handlers declare ``responses=problem_responses({401: ["invalid_credentials"], 429: []})`` instead,
and the schema shows the problem document (RFC 9457, ``application/problem+json``) with its codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec
from litestar.openapi import ResponseSpec

from syncwatch.core import errors


class FieldProblem(msgspec.Struct, frozen=True):
    """One invalid field of a request body."""

    field: str
    message: str


class Problem(msgspec.Struct, rename="camel", omit_defaults=True, frozen=True):
    """An error answer: RFC 9457 problem details plus our stable ``code``."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    #: Seconds to wait, with 429 (also in ``Retry-After``).
    retry_after: int | None = None
    #: The fields at fault, with 400.
    errors: list[FieldProblem] | None = None


_DEFAULT_CODES: Mapping[int, str] = {
    400: errors.InvalidRequest.default_code,
    401: errors.Unauthenticated.default_code,
    403: errors.Forbidden.default_code,
    404: errors.NotFound.default_code,
    409: errors.Conflict.default_code,
    413: errors.PayloadTooLarge.default_code,
    429: errors.RateLimited.default_code,
    503: errors.Unavailable.default_code,
}


def problem_responses(codes: Mapping[int, Iterable[str]]) -> dict[int, ResponseSpec]:
    """Response specs for the given statuses, each naming the ``code`` values it can carry."""
    specs = {}
    for status, given in codes.items():
        names = list(given) or [_DEFAULT_CODES.get(status, errors.Internal.default_code)]
        listed = ", ".join(f"`{n}`" for n in names)
        specs[status] = ResponseSpec(
            data_container=Problem,
            media_type=errors.PROBLEM_CONTENT_TYPE,
            description=f"Problem document; code: {listed}",
            generate_examples=False,
        )
    return specs
