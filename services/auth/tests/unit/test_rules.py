"""Pure rules: account fields, refresh decisions, the grace seal, key rotation plans."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from syncwatch.auth.domain.accounts import (
    email_problem,
    login_key,
    new_id,
    throttle_subject,
    username_problem,
)
from syncwatch.auth.domain.keys import KeyInfo, plan_rotation
from syncwatch.auth.domain.sessions import (
    PresentedToken,
    RefreshOutcome,
    access_claims,
    classify_refresh,
    new_refresh_token,
    open_successor,
    refresh_token_hash,
    seal_successor,
)


@pytest.mark.parametrize("email", ["ann@example.com", "a.b+c@sub.example.co", "ünï@exämple.org"])
def test_good_emails(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "",
        "ann",
        "ann@",
        "@example.com",
        "ann@example",
        "a b@example.com",
        "a@b@c.com",
        "a\x00@b.co",
        "x" * 250 + "@b.co",
    ],
)
def test_bad_emails(email: str) -> None:
    assert email_problem(email)


@pytest.mark.parametrize("name", ["ann", "Ann_B.C-9", "x" * 32])
def test_good_usernames(name: str) -> None:
    assert username_problem(name) is None


@pytest.mark.parametrize("name", ["ab", "x" * 33, "ann b", "ann@x", "änn", ""])
def test_bad_usernames(name: str) -> None:
    assert username_problem(name)


def test_identifiers() -> None:
    assert login_key("  Ann@Example.COM ") == "ann@example.com"
    assert throttle_subject("Ann") == throttle_subject(" ann ")
    assert "ann" not in throttle_subject("ann")
    uid = new_id("u")
    assert uid.startswith("u_")
    assert len(uid) == 26
    assert uid != new_id("u")


def _token(**changes) -> PresentedToken:
    values = {
        "session_revoked": False,
        "session_expires_at": 1000.0,
        "rotated_at": None,
        "successor_is_current": False,
    }
    values.update(changes)
    return PresentedToken(**values)


@pytest.mark.parametrize(
    ("token", "now", "outcome"),
    [
        (None, 0, RefreshOutcome.INVALID),
        (_token(session_revoked=True), 0, RefreshOutcome.INVALID),
        (_token(), 1000, RefreshOutcome.INVALID),
        (_token(), 999, RefreshOutcome.ROTATE),
        (_token(rotated_at=100.0, successor_is_current=True), 110, RefreshOutcome.GRACE),
        (_token(rotated_at=100.0, successor_is_current=True), 110.1, RefreshOutcome.REUSE),
        (_token(rotated_at=100.0, successor_is_current=False), 101, RefreshOutcome.REUSE),
        (
            _token(rotated_at=100.0, successor_is_current=True, session_revoked=True),
            101,
            RefreshOutcome.INVALID,
        ),
    ],
)
def test_refresh_decisions(token, now, outcome) -> None:
    assert classify_refresh(token, now, grace_s=10) is outcome


def test_refresh_tokens_are_256_bit_and_stored_hashed() -> None:
    token = new_refresh_token()
    assert len(token) == 43
    assert len(refresh_token_hash(token)) == 32
    assert refresh_token_hash(token) != token.encode()


def test_successor_seal_opens_only_with_the_rotated_token() -> None:
    old, new = new_refresh_token(), new_refresh_token()
    sealed = seal_successor(old, new)
    assert new.encode() not in sealed
    assert open_successor(old, sealed) == new
    with pytest.raises(InvalidTag):
        open_successor(new_refresh_token(), sealed)


def test_access_claims() -> None:
    claims = access_claims(user_id="u_1", username="ann", session_id="s_1", now=100.7, ttl_s=900)
    assert (claims["iat"], claims["nbf"], claims["exp"]) == (100, 100, 1000)
    assert {"iss", "aud", "sub", "sid", "jti", "username"} <= set(claims)


DAY = 86_400.0


def test_rotation_plan() -> None:
    opts = {"rotation_s": 30 * DAY, "token_ttl_s": 900.0, "overlap_s": 120.0}
    assert plan_rotation([], 0, **opts).create
    one = [KeyInfo("a", 0)]
    assert not plan_rotation(one, 30 * DAY - 1, **opts).create
    assert plan_rotation(one, 30 * DAY, **opts).create
    two = [KeyInfo("a", 0), KeyInfo("b", 30 * DAY)]
    # "a" stays published until b has signed for a token lifetime (+ overlap); b is never removed.
    assert plan_rotation(two, 30 * DAY + 1019, **opts).remove == ()
    assert plan_rotation(two, 30 * DAY + 1020, **opts).remove == ("a",)
    late = [KeyInfo("a", 0), KeyInfo("b", 90 * DAY)]  # the service was off for two months
    assert plan_rotation(late, 90 * DAY + 60, **opts).remove == ()
    assert plan_rotation([KeyInfo("b", 0)], 365 * DAY, **opts).remove == ()
