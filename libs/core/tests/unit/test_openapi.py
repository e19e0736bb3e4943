"""Problem responses in a Litestar OpenAPI schema."""

from litestar import get
from litestar.testing import TestClient

from syncwatch.core import errors
from syncwatch.core.deps import DependencySupervisor
from syncwatch.core.http import create_http_app
from syncwatch.core.openapi import problem_responses


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
