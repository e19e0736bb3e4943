"""``/api/auth/*``: register, login, refresh, logout, me, password, JWKS."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from syncwatch.auth.accounts import AccountService
from syncwatch.auth.adapters.http.common import (
    REFRESH_COOKIE,
    clear_refresh_cookie,
    client_of,
    session_response,
)
from syncwatch.auth.adapters.http.schemas import (
    Jwks,
    LoginBody,
    Me,
    PasswordBody,
    RefreshBody,
    RegisterBody,
    Session,
    User,
)
from syncwatch.core import errors
from syncwatch.core.openapi import ACCESS_TOKEN_OPTIONAL, problem_responses
from syncwatch.core.tokens import CurrentUser

Accounts = NamedDependency[AccountService]
_RATE_LIMITED: dict[int, list[str]] = {429: ["rate_limited"]}
_BAD_BODY: dict[int, list[str]] = {400: ["invalid_request"]}


class SessionController(Controller):
    """Accounts and sessions."""

    path = "/api/auth"
    tags = ["auth"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @post(
        "/register",
        status_code=201,
        summary="Create an account and sign in",
        responses=problem_responses(
            {400: ["invalid_request"], 409: ["email_taken", "username_taken"], **_RATE_LIMITED}
        ),
    )
    async def register(
        self, request: Request[Any, Any, Any], data: JSONBody[RegisterBody], accounts: Accounts
    ) -> Response[Session]:
        """Create an account; the answer is a session, as after signing in."""
        session = await accounts.register(
            email=data.email,
            username=data.username,
            password=data.password,
            client=client_of(request),
        )
        return session_response(
            request, session, data.token_delivery, now=accounts.clock.now(), status_code=201
        )

    @post(
        "/login",
        status_code=200,
        summary="Sign in with email or username and password",
        responses=problem_responses(
            {400: ["invalid_request"], 401: ["invalid_credentials"], **_RATE_LIMITED}
        ),
    )
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginBody], accounts: Accounts
    ) -> Response[Session]:
        """Unknown users and wrong passwords get the same answer, in the same time."""
        session = await accounts.login(
            identifier=data.identifier, password=data.password, client=client_of(request)
        )
        return session_response(request, session, data.token_delivery, now=accounts.clock.now())

    @post(
        "/refresh",
        status_code=200,
        summary="A new access token; the refresh token is rotated",
        responses=problem_responses({**_BAD_BODY, 401: ["invalid_refresh_token"], **_RATE_LIMITED}),
    )
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        accounts: Accounts,
        data: JSONBody[RefreshBody | None] = None,
    ) -> Response[Session]:
        """The refresh token comes from the ``sw_refresh`` cookie or the body's ``refreshToken``."""
        in_body = data.refresh_token if data else None
        token = in_body or request.cookies.get(REFRESH_COOKIE)
        if not token:
            raise errors.Unauthenticated("sign in again", code="invalid_refresh_token")
        session = await accounts.refresh(refresh_token=token, client=client_of(request))
        delivery = (data.token_delivery if data else None) or ("body" if in_body else None)
        return session_response(request, session, delivery, now=accounts.clock.now())

    @post(
        "/logout",
        status_code=204,
        summary="End this session",
        responses=problem_responses({**_BAD_BODY, **_RATE_LIMITED}),
        # The Bearer token is read by hand (only when there is no refresh token), never required.
        security=ACCESS_TOKEN_OPTIONAL,
    )
    async def logout(
        self,
        request: Request[Any, Any, Any],
        accounts: Accounts,
        data: JSONBody[RefreshBody | None] = None,
    ) -> Response[None]:
        """Ends the session of the refresh token (cookie or body) or of the Bearer token."""
        token = (data.refresh_token if data else None) or request.cookies.get(REFRESH_COOKIE)
        authorization = request.headers.get("authorization", "")
        scheme, _, bearer = authorization.partition(" ")
        await accounts.logout(
            refresh_token=token,
            bearer=bearer.strip() if scheme.lower() == "bearer" else None,
            client=client_of(request),
        )
        return Response(None, status_code=204, cookies=[clear_refresh_cookie(request)])

    @get(
        "/me",
        summary="The signed-in user",
        responses=problem_responses({401: ["auth_required"], **_RATE_LIMITED}),
    )
    async def me(self, current_user: CurrentUser, accounts: Accounts) -> Me:
        """Your account."""
        return Me(user=User.of(await accounts.me(current_user.user_id)))

    @post(
        "/password",
        status_code=200,
        summary="Change the password; every other session ends",
        responses=problem_responses(
            {
                400: ["invalid_request"],
                401: ["auth_required", "invalid_credentials"],
                **_RATE_LIMITED,
            }
        ),
    )
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasswordBody],
        current_user: CurrentUser,
        accounts: Accounts,
    ) -> Response[Session]:
        """Needs the current password; answers a fresh session for this device."""
        session = await accounts.change_password(
            user_id=current_user.user_id,
            session_id=current_user.session_id,
            current_password=data.current_password,
            new_password=data.new_password,
            client=client_of(request),
        )
        return session_response(request, session, data.token_delivery, now=accounts.clock.now())

    @get(
        "/.well-known/jwks.json",
        summary="Public keys that sign access tokens (JWKS)",
        responses=problem_responses(_RATE_LIMITED),
    )
    async def jwks(self, accounts: Accounts) -> Response[Jwks]:
        """Newest first; verifiers refetch when they meet an unknown ``kid``."""
        keys = [dict(k.jwk) for k in await accounts.keys.published()]
        return Response(Jwks(keys=keys), headers={"Cache-Control": "public, max-age=60"})
