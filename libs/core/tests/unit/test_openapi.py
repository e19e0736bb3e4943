"""Problem responses and security requirements in a Litestar OpenAPI schema."""

from typing import Any

from litestar import Litestar, Request, Router, get
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import SecurityScheme
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from syncwatch.core import errors
from syncwatch.core.clock import ManualClock
from syncwatch.core.deps import DependencySupervisor
from syncwatch.core.http import create_http_app
from syncwatch.core.openapi import (
    ACCESS_TOKEN_OPTIONAL,
    BEARER_AUTH,
    SecuredProvide,
    derived_security,
    problem_responses,
)
from syncwatch.core.tokens import CurrentUser, StaticKeySource, TokenVerifier, require_user


@get(
    "/api/test/thing",
    sync_to_thread=False,
    responses=problem_responses({404: ["thing_not_found"], 429: []}),
)
def thing() -> None:
    raise errors.NotFound("no thing", code="thing_not_found")


def test_schema_lists_problem_documents_with_their_codes() -> None:
    app = create_http_app(
        service="unit",
        supervisor=DependencySupervisor([]),
        route_handlers=[thing],
        openapi_path="/api/test/openapi",
    )
    with TestClient(app) as client:
        schema = client.get("/api/test/openapi/openapi.json").json()
        answer = client.get("/api/test/thing")
    responses = schema["paths"]["/api/test/thing"]["get"]["responses"]
    assert set(responses) >= {"404", "429"}
    assert "`thing_not_found`" in responses["404"]["description"]
    assert "`rate_limited`" in responses["429"]["description"]
    problem = responses["404"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    fields = schema["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "code", "retryAfter", "errors"} <= set(fields)
    # The schema describes what the service really sends.
    assert {"type", "title", "status", "detail", "code"} <= set(answer.json())


# Which operations need a token: derived from the handlers' dependencies.

_verifier = TokenVerifier(StaticKeySource([]), ManualClock(), None)


async def _maybe_user(request: Request[Any, Any, Any]) -> str | None:
    return request.headers.get("authorization")


async def _member(current_user: CurrentUser) -> str:
    return current_user.user_id


@get("/api/test/me", sync_to_thread=False)
def me(current_user: CurrentUser) -> str:
    return current_user.user_id


@get("/api/test/member", sync_to_thread=False)
def member(member: NamedDependency[str]) -> str:
    return member


@get("/api/test/maybe", sync_to_thread=False)
def maybe(maybe_user: NamedDependency[str | None]) -> str:
    return maybe_user or "nobody"


@get("/api/test/public", sync_to_thread=False)
def public() -> str:
    return "hello"


@get("/api/test/declared", sync_to_thread=False, security=[{"bearerAuth": ["admin"]}])
def declared(current_user: CurrentUser) -> str:
    return current_user.user_id


def _secured_app() -> Litestar:
    api = Router(
        path="/",
        route_handlers=[me, member, maybe, public, declared],
        dependencies={
            "current_user": require_user(_verifier),
            "member": Provide(_member),
            "maybe_user": SecuredProvide(
                _maybe_user,
                security=ACCESS_TOKEN_OPTIONAL,
                schemes={"other": SecurityScheme(type="http", scheme="bearer")},
            ),
        },
    )
    return create_http_app(
        service="unit",
        supervisor=DependencySupervisor([]),
        route_handlers=[api],
        openapi_path="/api/test/openapi",
    )


def test_schema_declares_the_access_token_scheme() -> None:
    with TestClient(_secured_app()) as client:
        schema = client.get("/api/test/openapi/openapi.json").json()
    scheme = schema["components"]["securitySchemes"][BEARER_AUTH]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert scheme["bearerFormat"] == "JWT"
    assert "/api/auth/login" in scheme["description"]
    assert "/api/auth/refresh" in scheme["description"]
    # A secured dependency's own schemes are declared too.
    assert schema["components"]["securitySchemes"]["other"]["scheme"] == "bearer"


def test_every_service_declares_the_scheme_even_without_secured_routes() -> None:
    app = create_http_app(
        service="unit",
        supervisor=DependencySupervisor([]),
        route_handlers=[thing],
        openapi_path="/api/test/openapi",
    )
    with TestClient(app) as client:
        schema = client.get("/api/test/openapi/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {BEARER_AUTH}
    assert "security" not in schema["paths"]["/api/test/thing"]["get"]


def test_security_follows_the_current_user_dependency() -> None:
    with TestClient(_secured_app()) as client:
        schema = client.get("/api/test/openapi/openapi.json").json()
        anonymous = client.get("/api/test/me")
    paths = schema["paths"]

    def security(path: str) -> Any:
        return paths[path]["get"].get("security")

    assert security("/api/test/me") == [{BEARER_AUTH: []}]
    # Through another dependency that needs current_user.
    assert security("/api/test/member") == [{BEARER_AUTH: []}]
    assert security("/api/test/maybe") == [{}, {BEARER_AUTH: []}]
    assert security("/api/test/public") is None
    # A handler that declares its security keeps it.
    assert security("/api/test/declared") == [{BEARER_AUTH: ["admin"]}]
    # The schema describes what the service really does: no token, 401.
    assert anonymous.status_code == 401


def test_a_required_dependency_wins_over_an_optional_one() -> None:
    @get("/both", sync_to_thread=False)
    def both(current_user: CurrentUser, maybe_user: NamedDependency[str | None]) -> str:
        return current_user.user_id

    @get("/optional", sync_to_thread=False)
    def optional(maybe_user: NamedDependency[str | None]) -> str:
        return maybe_user or ""

    guest = SecuredProvide(_maybe_user, security=[{}, {"guestToken": []}])
    app = Litestar(
        route_handlers=[both, optional],
        dependencies={"current_user": require_user(_verifier), "maybe_user": guest},
    )
    handlers = {
        h.handler_name: h for r in app.routes if isinstance(r, HTTPRoute) for h in r.route_handlers
    }
    assert derived_security(handlers["both"]) == [{BEARER_AUTH: []}]
    assert derived_security(handlers["optional"]) == [{}, {"guestToken": []}]
