"""Accounts and sessions: register, sign in, refresh, sign out, change password.

Where a user gets registered, signed in or signed out: here. The rules are in ``domain/``, storage in
``adapters/``; this module puts them together in the order that keeps the security properties:

- Sign-in failures look the same whether the account exists or not: same status and body, and the
  same work — an unknown user's password is checked against a dummy argon2 hash.
- Per account (the user when the identifier names one, else the identifier itself, so unknown
  accounts are throttled alike): after ``free_failures`` consecutive failures each attempt waits
  1 s doubling up to 15 min, and at most ``failures_per_hour`` failures are possible in any hour
  whatever the source IPs — every attempt reserves one of those slots before its password is
  checked, and a success gives it back, so concurrent attempts cannot exceed the cap.
- Per IP: sign-in and registration limits.
- Revocation takes effect at once for access tokens too (Redis db4, checked by every verifier), and
  is announced on ``AUTH_EVENTS`` so gateways close the sockets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import jwt

from syncwatch.auth.adapters.events import SessionEvents
from syncwatch.auth.adapters.keystore import ALGORITHM, SigningKeyStore
from syncwatch.auth.adapters.postgres import AccountStore, AccountsTx, UserRow
from syncwatch.auth.domain import accounts as rules
from syncwatch.auth.domain.passwords import PasswordHasher, password_problem
from syncwatch.auth.domain.sessions import (
    RefreshOutcome,
    access_claims,
    classify_refresh,
    new_refresh_token,
    open_successor,
    refresh_token_hash,
    seal_successor,
)
from syncwatch.core import errors
from syncwatch.core.audit import AuditPublisher
from syncwatch.core.clock import Clock
from syncwatch.core.logs import get_logger
from syncwatch.core.ratelimit import FailureBackoff, RateLimiter
from syncwatch.core.tokens import ACCESS_TOKEN_TYPE, RevocationStore, TokenVerifier

log = get_logger(__name__)

INVALID_CREDENTIALS = "invalid_credentials"
INVALID_REFRESH_TOKEN = "invalid_refresh_token"  # noqa: S105 - an error code


@dataclass(frozen=True)
class SessionPolicy:
    """Lifetimes and limits (from the service settings)."""

    access_ttl_s: int = 900
    refresh_ttl_s: int = 7 * 86_400
    refresh_grace_s: float = 10.0
    login_per_ip_per_minute: int = 20
    register_per_ip_per_hour: int = 10
    failures_per_hour: int = 100


@dataclass(frozen=True)
class Client:
    """Who is calling, as far as the request tells."""

    ip: str
    user_agent: str = ""


@dataclass(frozen=True)
class IssuedSession:
    """A session answer: a new access token and the session's current refresh token."""

    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_at: datetime
    user: UserRow
    session_id: str


def _field_errors(problems: dict[str, str | None]) -> None:
    found = [{"field": f, "message": m} for f, m in problems.items() if m is not None]
    if found:
        raise errors.InvalidRequest(found[0]["message"], extra={"errors": found})


def _invalid_credentials() -> errors.Unauthenticated:
    return errors.Unauthenticated(
        "the email/username or the password is wrong", code=INVALID_CREDENTIALS
    )


def _invalid_refresh() -> errors.Unauthenticated:
    return errors.Unauthenticated("sign in again", code=INVALID_REFRESH_TOKEN)


class AccountService:
    """The account and session use cases."""

    def __init__(
        self,
        *,
        store: AccountStore,
        hasher: PasswordHasher,
        keys: SigningKeyStore,
        verifier: TokenVerifier,
        revocations: RevocationStore,
        limiter: RateLimiter,
        backoff: FailureBackoff,
        audit: AuditPublisher,
        events: SessionEvents,
        clock: Clock,
        policy: SessionPolicy,
    ) -> None:
        self.store = store
        self.hasher = hasher
        self.keys = keys
        self.verifier = verifier
        self.revocations = revocations
        self.limiter = limiter
        self.backoff = backoff
        self.audit = audit
        self.events = events
        self.clock = clock
        self.policy = policy

    # -- tokens -------------------------------------------------------------------------------

    async def _access_token(self, user: UserRow, session_id: str) -> str:
        key = await self.keys.active()
        claims = access_claims(
            user_id=user.id,
            username=user.username,
            session_id=session_id,
            now=self.clock.now(),
            ttl_s=self.policy.access_ttl_s,
        )
        return jwt.encode(
            claims,
            key.private_key,
            algorithm=ALGORITHM,
            headers={"kid": key.kid, "typ": ACCESS_TOKEN_TYPE},
        )

    async def _start_session(self, tx: AccountsTx, user: UserRow, client: Client) -> IssuedSession:
        session_id = rules.new_id("s")
        refresh = new_refresh_token()
        expires = await tx.start_session(
            session_id=session_id,
            user_id=user.id,
            token_hash=refresh_token_hash(refresh),
            now=self.clock.now(),
            ttl_s=self.policy.refresh_ttl_s,
            ip=client.ip,
            user_agent=client.user_agent,
        )
        return IssuedSession(
            access_token=await self._access_token(user, session_id),
            expires_in=self.policy.access_ttl_s,
            refresh_token=refresh,
            refresh_expires_at=expires,
            user=user,
            session_id=session_id,
        )

    async def _end_sessions(
        self, user_id: str, session_ids: list[str], reason: str, not_before: int | None = None
    ) -> None:
        # Access tokens of these sessions live at most access_ttl_s more; refuse them until then.
        ttl = self.policy.access_ttl_s + 60
        if not_before is not None:
            await self.revocations.revoke_user_before(user_id, not_before, ttl)
        for session_id in session_ids:
            await self.revocations.revoke_session(session_id, ttl)
        if session_ids:
            await self.events.session_revoked(user_id, session_ids, reason, not_before=not_before)

    # -- use cases ----------------------------------------------------------------------------

    async def register(
        self, *, email: str, username: str, password: str, client: Client
    ) -> IssuedSession:
        """Create an account and sign it in."""
        decision = await self.limiter.hit(
            f"register:ip:{client.ip}", self.policy.register_per_ip_per_hour, 3600
        )
        decision.raise_if_denied("too many accounts created from this address; try again later")
        email, username = email.strip(), username.strip()
        _field_errors(
            {
                "email": rules.email_problem(email),
                "username": rules.username_problem(username),
                "password": password_problem(password),
            }
        )
        password_hash = await self.hasher.hash(password)
        async with self.store.transaction() as tx:
            user = await tx.create_user(
                user_id=rules.new_id("u"),
                email=email,
                username=username,
                password_hash=password_hash,
                now=self.clock.now(),
            )
            session = await self._start_session(tx, user, client)
        await self.audit.record(
            "auth.login",
            actor_id=user.id,
            actor_ip=client.ip,
            target_type="user",
            target_id=user.id,
            metadata={"method": "register", "sessionId": session.session_id},
        )
        return session

    async def login(self, *, identifier: str, password: str, client: Client) -> IssuedSession:
        """Sign in with an email or username and the password."""
        by_ip = await self.limiter.hit(
            f"login:ip:{client.ip}", self.policy.login_per_ip_per_minute, 60
        )
        by_ip.raise_if_denied("too many sign-in attempts from this address; try again later")
        key = rules.login_key(identifier)
        user = await self.store.user_by_login(key) if key else None
        subject = f"acct:{user.id}" if user else f"login:{rules.throttle_subject(key)}"
        await self._check_account_throttle(subject)
        slot = await self.limiter.hit(f"fail:{subject}", self.policy.failures_per_hour, 3600)
        slot.raise_if_denied("too many failed attempts for this account; try again later")

        if user is not None:
            ok = await self.hasher.verify(user.password_hash, password)
        else:
            ok = await self.hasher.verify_dummy(password)
        if not ok or user is None:
            await self.backoff.record_failure(subject)
            await self.audit.record(
                "auth.login_failed",
                actor_id=None,
                actor_ip=client.ip,
                target_type="user",
                target_id=user.id if user else "unknown",
                # Which identifier was tried, without storing an email address in clear.
                metadata={"reason": INVALID_CREDENTIALS, "login": rules.throttle_subject(key)},
                success=False,
            )
            raise _invalid_credentials()

        if slot.entry is not None:
            await self.limiter.release(f"fail:{subject}", slot.entry)
        await self.backoff.reset(subject)
        rehash = (
            await self.hasher.hash(password)
            if self.hasher.needs_rehash(user.password_hash)
            else None
        )
        async with self.store.transaction() as tx:
            if rehash is not None:
                await tx.set_password_hash(user.id, rehash, self.clock.now(), changed=False)
            session = await self._start_session(tx, user, client)
        await self.audit.record(
            "auth.login",
            actor_id=user.id,
            actor_ip=client.ip,
            target_type="user",
            target_id=user.id,
            metadata={"method": "password", "sessionId": session.session_id},
        )
        return session

    async def _check_account_throttle(self, subject: str) -> None:
        decision = await self.backoff.check(subject)
        decision.raise_if_denied("too many failed attempts for this account; try again later")

    async def refresh(self, *, refresh_token: str, client: Client) -> IssuedSession:
        """Rotate the refresh token and issue a new access token."""
        old_hash = refresh_token_hash(refresh_token)
        now = self.clock.now()
        async with self.store.transaction() as tx:
            row = await tx.presented_token(old_hash)
            outcome = classify_refresh(
                row.presented if row else None, now, self.policy.refresh_grace_s
            )
            if row is None or outcome is RefreshOutcome.INVALID:
                raise _invalid_refresh()
            successor: str | None = None
            if outcome is RefreshOutcome.ROTATE:
                successor = new_refresh_token()
                await tx.rotate(
                    session_id=row.session_id,
                    old_hash=old_hash,
                    new_hash=refresh_token_hash(successor),
                    sealed=seal_successor(refresh_token, successor),
                    now=now,
                )
            elif outcome is RefreshOutcome.GRACE and row.sealed_successor is not None:
                # The caller raced its own other tab: it gets the successor that tab got.
                successor = open_successor(refresh_token, row.sealed_successor)
            else:
                await tx.revoke_session(row.session_id, now, "refresh_token_reuse")
        if successor is None:
            log.warning(
                "rotated refresh token presented again; session revoked",
                session_id=row.session_id,
                user_id=row.user.id,
                ip=client.ip,
            )
            await self._end_sessions(row.user.id, [row.session_id], "refresh_token_reuse")
            raise _invalid_refresh()
        return IssuedSession(
            access_token=await self._access_token(row.user, row.session_id),
            expires_in=self.policy.access_ttl_s,
            refresh_token=successor,
            refresh_expires_at=row.session_expires_at,
            user=row.user,
            session_id=row.session_id,
        )

    async def logout(
        self, *, refresh_token: str | None, bearer: str | None, client: Client
    ) -> None:
        """End the session named by the refresh token (or else by the access token); never fails."""
        found: tuple[str, str] | None = None
        if refresh_token:
            found = await self.store.session_of_token(refresh_token_hash(refresh_token))
        if found is None and bearer:
            try:
                claims = await self.verifier.verify(bearer)
            except errors.Unauthenticated:
                claims = None
            if claims is not None:
                found = (claims.session_id, claims.user_id)
        if found is None:
            return
        session_id, user_id = found
        async with self.store.transaction() as tx:
            ended = await tx.revoke_session(session_id, self.clock.now(), "logout")
        await self._end_sessions(user_id, [session_id], "logout")
        if ended:
            await self.audit.record(
                "auth.logout",
                actor_id=user_id,
                actor_ip=client.ip,
                target_type="user",
                target_id=user_id,
                metadata={"sessionId": session_id},
            )

    async def me(self, user_id: str) -> UserRow:
        """The signed-in user's account."""
        user = await self.store.user_by_id(user_id)
        if user is None:
            raise errors.Unauthenticated("sign in first")
        return user

    async def change_password(
        self,
        *,
        user_id: str,
        session_id: str,
        current_password: str,
        new_password: str,
        client: Client,
    ) -> IssuedSession:
        """Set a new password; every session ends and this device gets a fresh one."""
        _field_errors({"newPassword": password_problem(new_password)})
        subject = f"acct:{user_id}"
        await self._check_account_throttle(subject)
        slot = await self.limiter.hit(f"fail:{subject}", self.policy.failures_per_hour, 3600)
        slot.raise_if_denied("too many failed attempts for this account; try again later")
        user = await self.me(user_id)
        if not await self.hasher.verify(user.password_hash, current_password):
            await self.backoff.record_failure(subject)
            await self.audit.record(
                "auth.password_changed",
                actor_id=user_id,
                actor_ip=client.ip,
                target_type="user",
                target_id=user_id,
                metadata={"reason": INVALID_CREDENTIALS, "sessionId": session_id},
                success=False,
            )
            raise errors.Unauthenticated(
                "the current password is wrong",
                code=INVALID_CREDENTIALS,
                extra={"errors": [{"field": "currentPassword", "message": "wrong password"}]},
            )
        if slot.entry is not None:
            await self.limiter.release(f"fail:{subject}", slot.entry)
        await self.backoff.reset(subject)
        new_hash = await self.hasher.hash(new_password)
        now = self.clock.now()
        async with self.store.transaction() as tx:
            locked = await tx.user_for_update(user_id)
            if locked is None:
                raise errors.Unauthenticated("sign in first")
            await tx.set_password_hash(user_id, new_hash, now, changed=True)
            ended = await tx.revoke_user_sessions(user_id, now, "password_changed")
            session = await self._start_session(tx, locked, client)
        # Tokens issued before this second are refused; the new session's token is issued in it.
        await self._end_sessions(
            user_id,
            sorted(set(ended) | {session_id}),
            "password_changed",
            not_before=math.floor(now),
        )
        await self.audit.record(
            "auth.password_changed",
            actor_id=user_id,
            actor_ip=client.ip,
            target_type="user",
            target_id=user_id,
            metadata={"sessionId": session.session_id, "endedSessions": len(ended)},
        )
        return session
