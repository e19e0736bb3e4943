"""Access tokens: the one verifier every service uses, locally, with the auth service's public keys.

Access tokens are JWTs (RFC 9068 profile) signed by the auth service with an asymmetric key. Every
check is explicit here and fails closed as ``errors.Unauthenticated`` (401, never a 5xx):

- size cap (``MAX_TOKEN_BYTES``) before any parsing;
- algorithm allowlist (``EdDSA``, ``ES256``): never ``none``, never an HMAC algorithm, and the
  algorithm must be the one the key was published for (no key/algorithm confusion);
- header ``typ`` ``at+jwt`` and a ``kid`` that names a known key; no ``crit`` extensions;
- ``iss``, ``aud``, ``sub``, ``sid``, ``jti`` present and right; ``exp``, ``nbf``, ``iat`` integers,
  checked against the service's Clock (so tests move time by hand);
- revocation in Redis db4: a per-session denylist (logout) and a per-user not-before (password change).

Keys come from a ``KeySource``: the auth service's own key store in auth, a ``GrpcKeySource``
(``AuthService/GetSigningKeys`` on ``AUTH_GRPC_ADDR``, cached, refreshed on an unknown ``kid`` at most
every ``min_refresh_interval_s``) everywhere else. A dependency that cannot answer (Redis down, auth
unreachable for an unknown key) is ``errors.Unavailable`` (503): the token may be good.

Litestar handlers get the caller with ``require_user(verifier)`` as the ``current_user`` dependency;
the OpenAPI document then says those operations need the access token (``bearerAuth``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import grpc
import jwt
from litestar import Request
from litestar.di import NamedDependency
from redis.exceptions import RedisError

from syncwatch.core import errors
from syncwatch.core.clock import Clock
from syncwatch.core.grpc import create_channel
from syncwatch.core.logs import get_logger
from syncwatch.core.openapi import ACCESS_TOKEN_REQUIRED, SecuredProvide
from syncwatch.core.redisdb import RedisDb, RedisDependency

log = get_logger(__name__)

ISSUER = "syncwatch-auth"
AUDIENCE = "syncwatch"
ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a media type, not a secret
ALLOWED_ALGORITHMS = frozenset({"EdDSA", "ES256"})
MAX_TOKEN_BYTES = 8 * 1024
REQUIRED_CLAIMS = ("iss", "aud", "sub", "sid", "jti", "iat", "nbf", "exp")
#: Tolerated clock difference between the issuer and a verifier, for ``nbf`` and ``iat`` only.
DEFAULT_LEEWAY_S = 5
#: Longer-lived access tokens are refused whoever signed them (ours live 15 minutes).
DEFAULT_MAX_LIFETIME_S = 3600

_REVOKED_SESSION = "sess:revoked:{sid}"
_USER_NOT_BEFORE = "sess:nbf:{user_id}"


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says about its bearer."""

    user_id: str
    username: str
    session_id: str
    token_id: str
    issued_at: int
    not_before: int
    expires_at: int


@dataclass(frozen=True)
class VerificationKey:
    """A public key and the one algorithm it may verify."""

    kid: str
    algorithm: str
    key: Any
    jwk: Mapping[str, Any]

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> VerificationKey:
        """Parse a published JWK; refuses keys without ``kid``/``alg`` or outside the allowlist."""
        kid, alg = jwk.get("kid"), jwk.get("alg")
        if not isinstance(kid, str) or not kid or alg not in ALLOWED_ALGORITHMS:
            raise ValueError("a signing key needs a kid and an allowed alg")
        if "d" in jwk:
            raise ValueError("refusing a private key where a public one is expected")
        parsed = jwt.PyJWK(dict(jwk))
        if parsed.algorithm_name != alg:
            raise ValueError(f"key type does not match alg {alg}")
        return cls(kid=kid, algorithm=str(alg), key=parsed.key, jwk=dict(jwk))


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url without padding) of a public JWK."""
    members = {
        "OKP": ("crv", "kty", "x"),
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
    }[str(jwk["kty"])]
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class KeySource(Protocol):
    """Where a verifier finds the public key for a ``kid``."""

    async def get(self, kid: str) -> VerificationKey | None:
        """The key, or None when it is not (or no longer) published."""
        ...


class StaticKeySource:
    """A fixed set of keys (tests, or a deployment that pins its keys)."""

    def __init__(self, keys: Iterable[VerificationKey]) -> None:
        self._keys = {k.kid: k for k in keys}

    async def get(self, kid: str) -> VerificationKey | None:
        """The key named ``kid``, if it is one of the fixed set."""
        return self._keys.get(kid)


class GrpcKeySource:
    """The auth service's published keys over gRPC, cached; an unknown ``kid`` triggers a refresh.

    Refreshes are single-flight and at most one per ``min_refresh_interval_s``, so a flood of tokens
    with made-up ``kid`` values costs the auth service one call per interval, not one per request.
    The cache is also refreshed when older than ``max_age_s``, so removed keys stop verifying.
    """

    def __init__(
        self,
        target: str | grpc.aio.Channel,
        clock: Clock,
        *,
        min_refresh_interval_s: float = 30.0,
        max_age_s: float = 600.0,
    ) -> None:
        from syncwatch.proto.auth.v1 import auth_pb2_grpc

        self._own_channel = isinstance(target, str)
        self._channel = create_channel(target) if isinstance(target, str) else target
        self._stub = auth_pb2_grpc.AuthServiceStub(self._channel)
        self._clock = clock
        self._min_interval = min_refresh_interval_s
        self._max_age = max_age_s
        self._keys: dict[str, VerificationKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        """Fetch the published keys now; raises errors.Unavailable when auth cannot answer."""
        from syncwatch.proto.auth.v1 import auth_pb2

        self._attempted_at = self._clock.monotonic()
        try:
            answer = await self._stub.GetSigningKeys(auth_pb2.GetSigningKeysRequest(), timeout=5)
        except (errors.SyncWatchError, grpc.aio.AioRpcError) as exc:
            raise errors.Unavailable("the signing keys cannot be fetched") from exc
        keys: dict[str, VerificationKey] = {}
        for item in answer.keys:
            try:
                key = VerificationKey.from_jwk(json.loads(item.jwk_json))
            except (ValueError, KeyError, TypeError, jwt.PyJWTError) as exc:
                log.warning("ignoring an unusable signing key", kid=item.kid, error=str(exc))
                continue
            keys[key.kid] = key
        self._keys = keys
        self._fetched_at = self._attempted_at

    def _fresh(self) -> bool:
        fetched = self._fetched_at
        return fetched is not None and self._clock.monotonic() - fetched < self._max_age

    def _may_refresh(self) -> bool:
        attempted = self._attempted_at
        return attempted is None or self._clock.monotonic() - attempted >= self._min_interval

    async def get(self, kid: str) -> VerificationKey | None:
        """The cached key, refreshing first when the cache is stale or ``kid`` is new.

        When a refresh fails, a key already in the cache is still used (auth may be restarting);
        an unknown ``kid`` then is ``errors.Unavailable``.
        """
        if kid in self._keys and self._fresh():
            return self._keys[kid]
        async with self._lock:  # one refresh at a time; the others find its result
            if kid in self._keys and self._fresh():
                return self._keys[kid]
            if self._may_refresh():
                try:
                    await self.refresh()
                except errors.Unavailable:
                    if kid not in self._keys:
                        raise
                    log.warning("signing keys not refreshed; using the cached key", kid=kid)
        return self._keys.get(kid)

    async def close(self) -> None:
        """Close the channel when this source opened it."""
        if self._own_channel:
            await self._channel.close(None)


class RevocationStore:
    """Revocations in Redis db4, written by the auth service and read by every verifier."""

    def __init__(self, redis: RedisDependency) -> None:
        self._redis = redis

    async def revoke_session(self, session_id: str, ttl_s: int) -> None:
        """Refuse every access token of the session for ``ttl_s`` (until its last one expires)."""
        await self._redis.client(RedisDb.SESSIONS).set(
            _REVOKED_SESSION.format(sid=session_id), b"1", ex=max(1, ttl_s)
        )

    async def revoke_user_before(self, user_id: str, not_before: int, ttl_s: int) -> None:
        """Refuse the user's access tokens issued before ``not_before`` (Unix seconds)."""
        await self._redis.client(RedisDb.SESSIONS).set(
            _USER_NOT_BEFORE.format(user_id=user_id), str(not_before), ex=max(1, ttl_s)
        )

    async def is_revoked(self, claims: AccessClaims) -> bool:
        """True when the token's session was revoked or it predates the user's not-before."""
        revoked, not_before = await self._redis.client(RedisDb.SESSIONS).mget(
            _REVOKED_SESSION.format(sid=claims.session_id),
            _USER_NOT_BEFORE.format(user_id=claims.user_id),
        )
        if revoked is not None:
            return True
        return not_before is not None and claims.issued_at < int(not_before)


def _int_claim(payload: Mapping[str, Any], name: str) -> int:
    value = payload.get(name)
    # bool is an int in Python; a NumericDate is not.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an integer NumericDate")
    return value


def _str_claim(payload: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    value = payload.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value) or len(value) > 256:
        raise ValueError(f"{name} must be a non-empty string")
    return value


class TokenVerifier:
    """Verifies access tokens; see the module docstring for every check it makes."""

    def __init__(
        self,
        keys: KeySource,
        clock: Clock,
        revocations: RevocationStore | None,
        *,
        issuer: str = ISSUER,
        audience: str = AUDIENCE,
        leeway_s: int = DEFAULT_LEEWAY_S,
        max_lifetime_s: int = DEFAULT_MAX_LIFETIME_S,
    ) -> None:
        self._keys = keys
        self._clock = clock
        self._revocations = revocations
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_s
        self._max_lifetime = max_lifetime_s

    async def verify(self, token: str) -> AccessClaims:
        """The claims of a valid, unrevoked access token; ``errors.Unauthenticated`` otherwise."""
        claims = await self.verify_signature_and_claims(token)
        if self._revocations is not None:
            try:
                revoked = await self._revocations.is_revoked(claims)
            except (RedisError, OSError, RuntimeError) as exc:
                raise errors.Unavailable("sessions cannot be checked right now") from exc
            if revoked:
                raise errors.Unauthenticated("the session has ended")
        return claims

    async def verify_signature_and_claims(self, token: str) -> AccessClaims:
        """Everything but revocation: signature, header, claims and lifetime."""
        if not isinstance(token, str) or not token.isascii() or len(token) > MAX_TOKEN_BYTES:
            raise errors.Unauthenticated("invalid access token")
        try:
            header = jwt.get_unverified_header(token)
        except Exception as exc:  # any malformed header is a 401, never a 500
            raise errors.Unauthenticated("invalid access token") from exc
        alg, kid, typ = header.get("alg"), header.get("kid"), header.get("typ")
        if alg not in ALLOWED_ALGORITHMS:
            raise errors.Unauthenticated("invalid access token")
        if not isinstance(typ, str) or typ.lower() not in (
            ACCESS_TOKEN_TYPE,
            f"application/{ACCESS_TOKEN_TYPE}",
        ):
            raise errors.Unauthenticated("invalid access token")
        if not isinstance(kid, str) or not kid or len(kid) > 128 or "crit" in header:
            raise errors.Unauthenticated("invalid access token")
        key = await self._keys.get(kid)
        if key is None or key.algorithm != alg:
            raise errors.Unauthenticated("invalid access token")
        try:
            payload = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm],
                audience=self._audience,
                issuer=self._issuer,
                # Time is checked below against our Clock, not the library's.
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "require": list(REQUIRED_CLAIMS),
                },
            )
            claims = AccessClaims(
                user_id=_str_claim(payload, "sub"),
                username=_str_claim(payload, "username", required=False),
                session_id=_str_claim(payload, "sid"),
                token_id=_str_claim(payload, "jti"),
                issued_at=_int_claim(payload, "iat"),
                not_before=_int_claim(payload, "nbf"),
                expires_at=_int_claim(payload, "exp"),
            )
        except Exception as exc:  # any bad signature or claim is a 401, never a 500
            raise errors.Unauthenticated("invalid access token") from exc
        now = self._clock.now()
        if now >= claims.expires_at:
            raise errors.Unauthenticated("the access token has expired")
        if claims.not_before > now + self._leeway or claims.issued_at > now + self._leeway:
            raise errors.Unauthenticated("invalid access token")
        if claims.expires_at - claims.issued_at > self._max_lifetime:
            raise errors.Unauthenticated("invalid access token")
        return claims


#: The JWT ``typ`` of a guest token (signed by the room service, bound to one room).
GUEST_TOKEN_TYPE = "guest+jwt"  # noqa: S105 - a media type, not a secret


def is_guest_token(token: str) -> bool:
    """True when the token's header says it is a guest token (not yet verified): the room
    service verifies those; every other bearer token is an access token."""
    try:
        header = jwt.get_unverified_header(token)
    except Exception:  # noqa: BLE001 - anything unparsable is simply not a guest token
        return False
    return header.get("typ") == GUEST_TOKEN_TYPE


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; ``errors.Unauthenticated`` if none."""
    if not authorization:
        raise errors.Unauthenticated("sign in first")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.Unauthenticated("sign in first")
    return token.strip()


OnAuthenticated = Callable[[AccessClaims], Awaitable[None]]

#: The annotation of a handler parameter filled by ``require_user``: ``current_user: CurrentUser``.
CurrentUser = NamedDependency[AccessClaims]


def require_user(
    verifier: TokenVerifier, on_authenticated: OnAuthenticated | None = None
) -> SecuredProvide:
    """A Litestar dependency (use it as ``current_user``) that answers 401 without a valid token.

    ``on_authenticated`` runs after each successful check (the auth service records presence there).
    Every operation using it lists the ``bearerAuth`` security requirement in the OpenAPI document.
    """

    async def current_user(request: Request[Any, Any, Any]) -> AccessClaims:
        claims = await verifier.verify(bearer_token(request.headers.get("authorization")))
        if on_authenticated is not None:
            await on_authenticated(claims)
        return claims

    return SecuredProvide(current_user, security=ACCESS_TOKEN_REQUIRED)
