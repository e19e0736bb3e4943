"""What every route of the auth service shares: the caller, bad bodies as field errors, cookies."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie

from syncwatch.auth.accounts import Client, IssuedSession
from syncwatch.auth.adapters.http.schemas import Session, TokenDelivery, User
from syncwatch.core.http import on_validation_error

__all__ = ["on_validation_error"]

REFRESH_COOKIE = "sw_refresh"
REFRESH_COOKIE_PATH = "/api/auth"


def client_of(request: Request[Any, Any, Any]) -> Client:
    """The caller's address (uvicorn resolves trusted proxies' X-Forwarded-For) and user agent."""
    host = request.client.host if request.client else "unknown"
    return Client(ip=host, user_agent=request.headers.get("user-agent", ""))


def _cookie(request: Request[Any, Any, Any], value: str, max_age: int) -> Cookie:
    return Cookie(
        key=REFRESH_COOKIE,
        value=value,
        path=REFRESH_COOKIE_PATH,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        # The edge (or Ingress) terminates TLS and says so in X-Forwarded-Proto.
        secure=request.url.scheme == "https",
    )


def clear_refresh_cookie(request: Request[Any, Any, Any]) -> Cookie:
    """A cookie that deletes ``sw_refresh``."""
    return _cookie(request, "", 0)


def session_response(
    request: Request[Any, Any, Any],
    session: IssuedSession,
    delivery: TokenDelivery | None,
    *,
    now: float,
    status_code: int = 200,
) -> Response[Session]:
    """The session answer, with the refresh token in the body or in the cookie."""
    body = Session(
        access_token=session.access_token,
        token_type="Bearer",  # noqa: S106 - the token type, not a secret
        expires_in=session.expires_in,
        user=User.of(session.user),
        refresh_token=session.refresh_token if delivery == "body" else None,
    )
    cookies = []
    if delivery != "body":
        max_age = max(0, round(session.refresh_expires_at.timestamp() - now))
        cookies.append(_cookie(request, session.refresh_token, max_age))
    return Response(
        body, status_code=status_code, cookies=cookies, headers={"Cache-Control": "no-store"}
    )
