"""Abuse handling: no account enumeration, per-account backoff and cap, per-IP limits — on the clock."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


async def _login(auth, login: str, password: str, ip: str | None = None):
    """One sign-in attempt, from ``ip`` or from an address of its own."""
    return await auth.http.post(
        "/api/auth/login",
        json={"login": login, "password": password},
        headers={"X-Forwarded-For": ip or auth.next_ip()},
    )


async def test_unknown_user_and_wrong_password_look_the_same(auth, monkeypatch) -> None:
    hasher = auth.accounts.hasher
    calls: list[str] = []
    real_verify, real_dummy = hasher.verify, hasher.verify_dummy

    async def verify(password_hash: str, password: str) -> bool:
        calls.append("verify")
        return await real_verify(password_hash, password)

    async def verify_dummy(password: str) -> bool:
        calls.append("dummy")
        return await real_dummy(password)

    monkeypatch.setattr(hasher, "verify", verify)
    monkeypatch.setattr(hasher, "verify_dummy", verify_dummy)
    async with auth.client() as client:
        name = auth.new_name()
        await auth.register(client, name)
    calls.clear()

    wrong = await _login(auth, name, "not the password")
    assert calls == ["verify"]
    unknown = await _login(auth, auth.new_name(), "not the password")
    # The unknown user's password went through a real argon2 verification, against a dummy hash.
    assert calls == ["verify", "dummy", "verify"]
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"
    assert wrong.headers["content-type"] == unknown.headers["content-type"]
    assert "retry-after" not in wrong.headers


async def test_five_failures_then_exponential_backoff(auth) -> None:
    async with auth.client() as client:
        name = auth.new_name()
        await auth.register(client, name)
    for _ in range(5):
        assert (await _login(auth, name, "wrong password")).status_code == 401

    throttled = await _login(auth, name, auth.password)  # even the right password must wait
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "rate_limited"
    assert throttled.headers["retry-after"] == "1"
    assert throttled.json()["retryAfter"] == 1

    auth.clock.advance(1)
    assert (await _login(auth, name, "wrong again")).status_code == 401  # sixth failure
    second = await _login(auth, name, auth.password)
    assert (second.status_code, second.headers["retry-after"]) == (429, "2")
    auth.clock.advance(2)
    assert (await _login(auth, name, auth.password)).status_code == 200
    # A success resets the count.
    assert (await _login(auth, name, "wrong password")).status_code == 401
    assert (await _login(auth, name, "wrong password")).status_code == 401


async def test_unknown_accounts_are_throttled_alike(auth) -> None:
    ghost = f"{auth.new_name()}@example.com"
    for _ in range(5):
        assert (await _login(auth, ghost, "guess")).status_code == 401
    throttled = await _login(auth, ghost.upper(), "guess")  # same identifier, normalised
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "1"


async def test_at_most_100_failures_per_hour_per_account_whatever_the_ips(auth) -> None:
    async with auth.client() as client:
        name = auth.new_name()
        session = await auth.register(client, name)
    subject = f"acct:{session['user']['id']}"
    for _ in range(100):
        assert (await _login(auth, name, "wrong password")).status_code == 401
        # As if the attempts came concurrently, before the backoff could see them.
        await auth.accounts.backoff.reset(subject)
    capped = await _login(auth, name, auth.password)
    assert capped.status_code == 429
    assert int(capped.headers["retry-after"]) > 3000
    auth.clock.advance(3600)
    assert (await _login(auth, name, auth.password)).status_code == 200


async def test_login_limit_per_ip(auth) -> None:
    ip = "192.0.2.10"
    for _ in range(20):
        assert (await _login(auth, auth.new_name(), "guess", ip)).status_code == 401
    limited = await _login(auth, auth.new_name(), "guess", ip)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert (await _login(auth, auth.new_name(), "guess", "192.0.2.11")).status_code == 401
    auth.clock.advance(60)
    assert (await _login(auth, auth.new_name(), "guess", ip)).status_code == 401


async def test_register_limit_per_ip(auth) -> None:
    async with auth.client("192.0.2.20") as client:
        for _ in range(10):
            await auth.register(client)
        limited = await client.post(
            "/api/auth/register",
            json={"email": "x@example.com", "username": auth.new_name(), "password": auth.password},
        )
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 3000


async def test_api_limit_per_ip(auth) -> None:
    async with auth.client("192.0.2.30") as client:
        for _ in range(100):
            assert (await client.get("/api/auth/.well-known/jwks.json")).status_code == 200
        limited = await client.get("/api/auth/.well-known/jwks.json")
        assert limited.status_code == 429
        assert limited.headers["retry-after"]
        # Health and metrics are not API requests.
        assert (await client.get("/health/live")).status_code == 200
        auth.clock.advance(60)
        assert (await client.get("/api/auth/.well-known/jwks.json")).status_code == 200
