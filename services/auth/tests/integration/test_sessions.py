"""Accounts and sessions against the real service: the whole cycle, rotation, reuse, revocation."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration


def _set_cookie(resp) -> str:
    return resp.headers.get("set-cookie", "")


async def test_register_login_me_refresh_logout(auth) -> None:
    async with auth.client() as browser:
        name = auth.new_name("Ann")
        registered = await browser.post(
            "/api/auth/register",
            json={"email": f"{name}@Example.com", "username": name, "password": auth.password},
        )
        assert registered.status_code == 201, registered.text
        session = registered.json()
        assert session["tokenType"] == "Bearer"
        assert session["expiresIn"] == 900
        assert "refreshToken" not in session
        assert set(session["user"]) == {"id", "email", "username", "createdAt"}
        assert session["user"]["username"] == name
        assert session["user"]["id"].startswith("u_")
        cookie = _set_cookie(registered)
        assert cookie.startswith("sw_refresh=")
        for attribute in ("HttpOnly", "Path=/api/auth", "SameSite=strict", "Max-Age=604800"):
            assert attribute.lower() in cookie.lower(), cookie
        assert "secure" not in cookie.lower()  # plain http here

        # Sign in again by username, in other case, and by email.
        for login in (name.upper(), f"{name}@example.COM"):
            resp = await browser.post(
                "/api/auth/login", json={"login": login, "password": auth.password}
            )
            assert resp.status_code == 200, resp.text
        by_email_key = await browser.post(
            "/api/auth/login", json={"email": f"{name}@example.com", "password": auth.password}
        )
        assert by_email_key.status_code == 200
        session = by_email_key.json()

        me = await browser.get("/api/auth/me", headers=auth.bearer(session))
        assert me.status_code == 200
        assert me.json() == {"user": session["user"]}

        refreshed = await browser.post("/api/auth/refresh")
        assert refreshed.status_code == 200, refreshed.text
        assert refreshed.json()["accessToken"] != session["accessToken"]
        assert _set_cookie(refreshed).startswith("sw_refresh=")
        new_session = refreshed.json()
        assert (
            await browser.get("/api/auth/me", headers=auth.bearer(new_session))
        ).status_code == 200

        out = await browser.post("/api/auth/logout", headers=auth.bearer(new_session))
        assert out.status_code == 204
        assert re.search(r"sw_refresh=\"?\"?;", _set_cookie(out))
        assert "max-age=0" in _set_cookie(out).lower()
        # The access token stops working at once, and the refresh token is gone.
        gone = await browser.get("/api/auth/me", headers=auth.bearer(new_session))
        assert gone.status_code == 401
        assert gone.json()["code"] == "auth_required"
        again = await browser.post("/api/auth/refresh")
        assert again.status_code == 401
        assert again.json()["code"] == "invalid_refresh_token"


async def test_secure_cookie_over_https(auth) -> None:
    async with auth.client() as browser:
        resp = await browser.post(
            "/api/auth/register",
            headers={"X-Forwarded-Proto": "https"},
            json={
                "email": f"{auth.new_name()}@example.com",
                "username": auth.new_name(),
                "password": auth.password,
            },
        )
        assert resp.status_code == 201
        assert "secure" in _set_cookie(resp).lower()


async def test_token_delivery_in_body(auth) -> None:
    async with auth.client() as app:
        session = await auth.register(app, tokenDelivery="body")
        assert not app.cookies
        token = session["refreshToken"]
        assert len(token) >= 43  # 256 bits, base64url
        resp = await app.post("/api/auth/refresh", json={"refreshToken": token})
        assert resp.status_code == 200
        assert "set-cookie" not in resp.headers
        rotated = resp.json()["refreshToken"]
        assert rotated != token
        out = await app.post("/api/auth/logout", json={"refreshToken": rotated})
        assert out.status_code == 204
        assert (
            await app.post("/api/auth/refresh", json={"refreshToken": rotated})
        ).status_code == 401


async def test_reusing_a_rotated_token_revokes_the_family(auth) -> None:
    async with auth.client() as app:
        session = await auth.register(app, tokenDelivery="body")
        first = session["refreshToken"]
        second = (await app.post("/api/auth/refresh", json={"refreshToken": first})).json()
        auth.clock.advance(11)  # past the grace period
        stolen = await app.post("/api/auth/refresh", json={"refreshToken": first})
        assert stolen.status_code == 401
        assert stolen.json()["code"] == "invalid_refresh_token"
        # The whole family ended: the legitimate latest token and its access token too.
        latest = await app.post("/api/auth/refresh", json={"refreshToken": second["refreshToken"]})
        assert latest.status_code == 401
        assert (await app.get("/api/auth/me", headers=auth.bearer(second))).status_code == 401


async def test_two_tabs_refreshing_at_once_both_stay_signed_in(auth) -> None:
    async with auth.client() as app:
        first = (await auth.register(app, tokenDelivery="body"))["refreshToken"]
        tab_a = await app.post("/api/auth/refresh", json={"refreshToken": first})
        auth.clock.advance(9)
        tab_b = await app.post("/api/auth/refresh", json={"refreshToken": first})
        assert tab_a.status_code == tab_b.status_code == 200
        # Both tabs hold the same successor: the family stays one line.
        assert tab_a.json()["refreshToken"] == tab_b.json()["refreshToken"]
        assert (await app.get("/api/auth/me", headers=auth.bearer(tab_b.json()))).status_code == 200
        third = await app.post(
            "/api/auth/refresh", json={"refreshToken": tab_b.json()["refreshToken"]}
        )
        assert third.status_code == 200
        # The grace covers only the immediate predecessor of the current token.
        auth.clock.advance(1)
        late = await app.post("/api/auth/refresh", json={"refreshToken": first})
        assert late.status_code == 401
        assert (
            await app.post("/api/auth/refresh", json={"refreshToken": third.json()["refreshToken"]})
        ).status_code == 401


async def test_grace_period_ends_after_ten_seconds(auth) -> None:
    async with auth.client() as app:
        first = (await auth.register(app, tokenDelivery="body"))["refreshToken"]
        assert (
            await app.post("/api/auth/refresh", json={"refreshToken": first})
        ).status_code == 200
        auth.clock.advance(10.5)
        assert (
            await app.post("/api/auth/refresh", json={"refreshToken": first})
        ).status_code == 401


async def test_sessions_end_seven_days_after_sign_in(auth) -> None:
    async with auth.client() as app:
        token = (await auth.register(app, tokenDelivery="body"))["refreshToken"]
        for _ in range(6):
            auth.clock.advance(86_400)
            resp = await app.post("/api/auth/refresh", json={"refreshToken": token})
            assert resp.status_code == 200
            token = resp.json()["refreshToken"]
        auth.clock.advance(86_400)
        assert (
            await app.post("/api/auth/refresh", json={"refreshToken": token})
        ).status_code == 401


async def test_access_tokens_expire_after_fifteen_minutes(auth) -> None:
    async with auth.client() as app:
        session = await auth.register(app)
        auth.clock.advance(899)
        assert (await app.get("/api/auth/me", headers=auth.bearer(session))).status_code == 200
        auth.clock.advance(1)
        assert (await app.get("/api/auth/me", headers=auth.bearer(session))).status_code == 401


async def test_password_change_ends_every_other_session(auth) -> None:
    name = auth.new_name()
    async with auth.client() as laptop, auth.client() as phone:
        laptop_session = await auth.register(laptop, name)
        phone_login = await phone.post(
            "/api/auth/login", json={"login": name, "password": auth.password}
        )
        phone_session = phone_login.json()

        wrong = await laptop.post(
            "/api/auth/password",
            headers=auth.bearer(laptop_session),
            json={"currentPassword": "not it at all", "newPassword": "a whole new secret"},
        )
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "invalid_credentials"

        weak = await laptop.post(
            "/api/auth/password",
            headers=auth.bearer(laptop_session),
            json={"currentPassword": auth.password, "newPassword": "password123"},
        )
        assert weak.status_code == 400
        assert weak.json()["errors"][0]["field"] == "newPassword"
        assert "common" in weak.json()["errors"][0]["message"]

        changed = await laptop.post(
            "/api/auth/password",
            headers=auth.bearer(laptop_session),
            json={"currentPassword": auth.password, "newPassword": "a whole new secret"},
        )
        assert changed.status_code == 200, changed.text
        fresh = changed.json()
        assert (await laptop.get("/api/auth/me", headers=auth.bearer(fresh))).status_code == 200
        assert (await laptop.post("/api/auth/refresh")).status_code == 200
        # Every other session ended, access tokens included, and so did the old one of this device.
        assert (
            await phone.get("/api/auth/me", headers=auth.bearer(phone_session))
        ).status_code == 401
        assert (await phone.post("/api/auth/refresh")).status_code == 401
        assert (
            await laptop.get("/api/auth/me", headers=auth.bearer(laptop_session))
        ).status_code == 401
        # The old password no longer signs in; the new one does.
        old = await phone.post("/api/auth/login", json={"login": name, "password": auth.password})
        assert old.status_code == 401
        new = await phone.post(
            "/api/auth/login", json={"login": name, "password": "a whole new secret"}
        )
        assert new.status_code == 200


async def test_registration_rules(auth) -> None:
    async with auth.client() as browser:
        bad = await browser.post(
            "/api/auth/register",
            json={"email": "not-an-email", "username": "a b", "password": "short"},
        )
        assert bad.status_code == 400
        assert bad.json()["code"] == "invalid_request"
        assert {e["field"] for e in bad.json()["errors"]} == {"email", "username", "password"}

        common = await browser.post(
            "/api/auth/register",
            json={
                "email": f"{auth.new_name()}@example.com",
                "username": auth.new_name(),
                "password": "Iloveyou1",
            },
        )
        assert common.status_code == 400
        assert common.json()["errors"] == [
            {"field": "password", "message": common.json()["errors"][0]["message"]}
        ]

        untyped = await browser.post("/api/auth/register", json={"email": 1, "password": "x"})
        assert untyped.status_code == 400
        assert untyped.json()["errors"][0]["field"]

        name = auth.new_name("Bob")
        await auth.register(browser, name)
        taken_name = await browser.post(
            "/api/auth/register",
            json={
                "email": f"other{name}@example.com",
                "username": name.lower(),
                "password": auth.password,
            },
        )
        assert taken_name.status_code == 409
        assert taken_name.json()["code"] == "username_taken"
        taken_email = await browser.post(
            "/api/auth/register",
            json={
                "email": f"{name.upper()}@EXAMPLE.com",
                "username": auth.new_name(),
                "password": auth.password,
            },
        )
        assert taken_email.status_code == 409
        assert taken_email.json()["code"] == "email_taken"


async def test_jwks_publishes_the_signing_key(auth) -> None:
    async with auth.client() as client:
        resp = await client.get("/api/auth/.well-known/jwks.json")
    assert resp.status_code == 200
    keys = resp.json()["keys"]
    assert keys
    assert all(k["alg"] == "EdDSA" and k["use"] == "sig" and k["kty"] == "OKP" for k in keys)
    assert all("d" not in k for k in keys)
    active = await auth.accounts.keys.active()
    assert keys[0]["kid"] == active.kid


async def test_openapi_lists_every_endpoint_with_its_errors(auth) -> None:
    async with auth.client() as client:
        resp = await client.get("/api/auth/openapi/openapi.json")
    assert resp.status_code == 200
    paths = resp.json()["paths"]
    expected = {
        ("post", "/api/auth/register"): {"201", "400", "409", "429"},
        ("post", "/api/auth/login"): {"200", "400", "401", "429"},
        ("post", "/api/auth/refresh"): {"200", "401", "429"},
        ("post", "/api/auth/logout"): {"204", "429"},
        ("get", "/api/auth/me"): {"200", "401", "429"},
        ("post", "/api/auth/password"): {"200", "400", "401", "429"},
        ("get", "/api/auth/.well-known/jwks.json"): {"200", "429"},
    }
    for (method, path), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, set(responses))
        for status in statuses - {"200", "201", "204"}:
            assert "application/problem+json" in responses[status]["content"], (path, status)


async def test_openapi_says_which_endpoints_need_an_access_token(auth) -> None:
    async with auth.client() as client:
        schema = (await client.get("/api/auth/openapi/openapi.json")).json()
    scheme = schema["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    assert "/api/auth/login" in scheme["description"]
    paths = schema["paths"]
    required = [{"bearerAuth": []}]
    assert paths["/api/auth/me"]["get"]["security"] == required
    assert paths["/api/auth/password"]["post"]["security"] == required
    assert paths["/api/friends"]["get"]["security"] == required
    assert paths["/api/friends/request"]["post"]["security"] == required
    # Logout reads a Bearer token when there is no refresh token; it never needs one.
    assert paths["/api/auth/logout"]["post"]["security"] == [{}, {"bearerAuth": []}]
    for path in ("register", "login", "refresh"):
        assert "security" not in paths[f"/api/auth/{path}"]["post"], path
    assert "security" not in paths["/api/auth/.well-known/jwks.json"]["get"]
    for path, item in paths.items():
        for method, operation in item.items():
            security = operation.get("security") or []
            assert {name for r in security for name in r} <= set(
                schema["components"]["securitySchemes"]
            ), (method, path)
            # What answers 401 auth_required says it needs the token, and the reverse.
            unauthenticated = operation["responses"].get("401", {}).get("description", "")
            needs_token = bool(security) and {} not in security
            assert ("`auth_required`" in unauthenticated) == needs_token, (method, path)
