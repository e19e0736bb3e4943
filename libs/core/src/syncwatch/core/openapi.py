"""OpenAPI descriptions of our error responses, so a service's schema lists what each endpoint answers.

``errors.SyncWatchError`` is not a Litestar ``HTTPException``, so Litestar's ``raises=`` cannot describe
it; handlers declare ``responses=problem_responses({401: ["invalid_credentials"], 429: []})`` instead,
and the schema shows the problem document (RFC 9457, ``application/problem+json``) with its codes.

Which operations need a token is derived, not declared per route: ``require_user`` (and any other
``SecuredProvide``) carries its security requirement, and ``SecurityPlugin`` (installed by the app
factory) gives every handler using it that requirement, against the ``bearerAuth`` scheme that
``openapi_components`` declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

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


#: The name of the access-token security scheme in every service's OpenAPI components.
BEARER_AUTH = "bearerAuth"
#: The requirement of an operation that needs an access token.
ACCESS_TOKEN_REQUIRED: tuple[SecurityRequirement, ...] = ({BEARER_AUTH: []},)
#: The requirement of an operation that uses an access token when sent and answers without one too.
ACCESS_TOKEN_OPTIONAL: tuple[SecurityRequirement, ...] = ({}, {BEARER_AUTH: []})


def bearer_auth_scheme() -> SecurityScheme:
    """The access token, as an HTTP bearer scheme (``Authorization: Bearer <JWT>``)."""
    return SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="JWT",
        description=(
            "The access token from `POST /api/auth/login` (or `/api/auth/register`, or "
            "`POST /api/auth/refresh` once it has expired), sent as `Authorization: Bearer <token>`."
        ),
    )


class SecuredProvide(Provide):
    """A dependency that reads the caller's bearer token.

    A handler that uses it, by parameter name or through another dependency, gets its
    ``security`` requirement in the OpenAPI document (see ``SecurityPlugin``), so a new endpoint
    cannot forget to say it needs a token. ``schemes`` are extra security schemes the
    requirement names (``bearerAuth`` is always declared); they are added to the components.
    """

    __slots__ = ("schemes", "security")

    def __init__(
        self,
        dependency: Callable[..., Any],
        *,
        security: Iterable[SecurityRequirement],
        schemes: Mapping[str, SecurityScheme] | None = None,
        use_cache: bool = False,
        sync_to_thread: bool | None = None,
    ) -> None:
        super().__init__(dependency, use_cache=use_cache, sync_to_thread=sync_to_thread)
        self.security: list[SecurityRequirement] = [dict(r) for r in security]
        self.schemes: dict[str, SecurityScheme] = dict(schemes or {})

    @property
    def optional(self) -> bool:
        """True when the requirement lets a caller without a token through (it lists ``{}``)."""
        return {} in self.security


def secured_dependencies(handler: HTTPRouteHandler) -> list[SecuredProvide]:
    """The ``SecuredProvide`` dependencies the handler uses, directly or through other dependencies."""
    available = handler.resolve_dependencies()
    queue = [name for name in handler.parsed_fn_signature.parameters if name in available]
    seen: set[str] = set()
    found: list[SecuredProvide] = []
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        provide = available[name]
        if isinstance(provide, SecuredProvide):
            found.append(provide)
        signature = getattr(provide, "parsed_fn_signature", None)
        params = signature.parameters if signature is not None else {}
        queue.extend(n for n in params if n in available and n not in seen)
    return found


def derived_security(handler: HTTPRouteHandler) -> list[SecurityRequirement] | None:
    """The security requirement the handler's dependencies imply, or None for a public handler.

    A required dependency wins over an optional one; the alternatives of several are combined.
    """
    used = secured_dependencies(handler)
    chosen = [p for p in used if not p.optional] or used
    combined: list[SecurityRequirement] = []
    for provide in chosen:
        combined.extend(r for r in provide.security if r not in combined)
    if {} in combined:  # an optional requirement reads "none, or one of these"
        combined = [{}, *(r for r in combined if r)]
    return combined or None


class SecurityPlugin(ReceiveRoutePlugin):
    """Sets each HTTP operation's OpenAPI ``security`` from its dependencies as routes are added.

    A handler (or a layer above it) that declares a non-empty ``security=`` itself keeps it. Extra
    schemes of the secured dependencies go into ``components`` (the ``OpenAPIConfig``'s; Litestar
    builds the document lazily, after every route is in).
    """

    __slots__ = ("_components",)

    def __init__(self, components: Components | None) -> None:
        self._components = components

    def receive_route(self, route: BaseRoute) -> None:
        """Derive the security of each handler of an HTTP route."""
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            for provide in secured_dependencies(handler):
                self._declare(provide.schemes)
            # Litestar's layers add up their requirements; one that declares any is left alone.
            if any(getattr(layer, "security", None) for layer in handler.ownership_layers):
                continue
            handler.security = derived_security(handler)

    def _declare(self, schemes: Mapping[str, SecurityScheme]) -> None:
        if self._components is None or not schemes:
            return
        declared = self._components.security_schemes
        if declared is None:
            declared = self._components.security_schemes = {}
        for name, scheme in schemes.items():
            declared.setdefault(name, scheme)


def openapi_components() -> Components:
    """The components every service's OpenAPI document starts with: the ``bearerAuth`` scheme."""
    return Components(security_schemes={BEARER_AUTH: bearer_auth_scheme()})
