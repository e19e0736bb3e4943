"""Signing keys as PEM files in a directory: created when missing, rotated, retired (domain.keys).

Each key is an Ed25519 private key in PKCS#8 PEM, mode 0600, named ``<created unix time>-<kid>.pem``
(``kid`` = RFC 7638 thumbprint, recomputed on load, never trusted from the name). Files with other
names (a Kubernetes secret's keys) count as created at their modification time. Every replica reloads
the directory at most every ``reload_interval_s`` and on an unknown ``kid``, so keys made by one
replica are published by all. A read-only directory (a mounted secret) is used as it is: no rotation,
which is then the operator's job.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from syncwatch.auth.domain.keys import KeyInfo, plan_rotation
from syncwatch.core.clock import Clock
from syncwatch.core.deps import Dependency
from syncwatch.core.logs import get_logger
from syncwatch.core.tokens import VerificationKey, jwk_thumbprint

log = get_logger(__name__)

ALGORITHM = "EdDSA"
_NAME = re.compile(r"^(?P<created>\d{1,12})-(?P<kid>[A-Za-z0-9_-]{1,128})\.pem$")


@dataclass(frozen=True)
class SigningKey:
    """A loaded key pair."""

    kid: str
    created_at: float
    private_key: Ed25519PrivateKey
    path: Path
    #: The public half, as a verifier and the JWKS see it.
    public: VerificationKey

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey, created_at: float, path: Path) -> SigningKey:
        """Wrap a private key, computing its ``kid`` and public JWK."""
        jwk = OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        kid = jwk_thumbprint(jwk)
        public = VerificationKey.from_jwk({**jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"})
        return cls(kid, created_at, private_key, path, public)


def _load(path: Path) -> SigningKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError(f"{path.name}: not an Ed25519 private key")
    match = _NAME.match(path.name)
    created = float(match["created"]) if match else path.stat().st_mtime
    return SigningKey.of(key, created, path)


class SigningKeyStore(Dependency):
    """The key directory as a dependency: ready once it holds a usable key."""

    name = "signing_keys"

    def __init__(
        self,
        directory: Path,
        clock: Clock,
        *,
        rotation_s: float,
        token_ttl_s: float,
        reload_interval_s: float = 60.0,
    ) -> None:
        self.directory = directory
        self._clock = clock
        self._rotation_s = rotation_s
        self._token_ttl_s = token_ttl_s
        self._reload_interval_s = reload_interval_s
        self._keys: dict[str, SigningKey] = {}
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        """Create the directory if needed, load the keys, make the first one when there is none."""
        await self.refresh(force=True)

    async def check(self) -> None:
        """A key to sign with exists (rotating on the way when one is due)."""
        await self.refresh()
        if not self._keys:
            raise RuntimeError(f"no signing key in {self.directory}")

    async def close(self) -> None:
        """Nothing to release."""

    async def refresh(self, *, force: bool = False) -> None:
        """Reload the directory and rotate when due; cheap when nothing is due."""
        now = self._clock.monotonic()
        if (
            not force
            and self._loaded_at is not None
            and now - self._loaded_at < self._reload_interval_s
        ):
            return
        async with self._lock:
            loaded = self._loaded_at
            if (
                not force
                and loaded is not None
                and self._clock.monotonic() - loaded < self._reload_interval_s
            ):
                return
            keys = await asyncio.to_thread(self._sync_directory, self._clock.now())
            self._keys = {k.kid: k for k in keys}
            self._loaded_at = self._clock.monotonic()

    def _sync_directory(self, now: float) -> list[SigningKey]:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        keys = self._read()
        infos = [KeyInfo(k.kid, k.created_at) for k in keys]
        options: dict[str, Any] = {
            "rotation_s": self._rotation_s,
            "token_ttl_s": self._token_ttl_s,
            "overlap_s": self._reload_interval_s * 2,
        }
        writable = os.access(self.directory, os.W_OK)
        if plan_rotation(infos, now, **options).create:
            if writable:
                keys.append(self._create(now))
                log.info("signing key created", kid=keys[-1].kid, directory=str(self.directory))
            elif keys:
                log.warning("signing key is due for rotation but the directory is read-only")
            else:
                raise PermissionError(f"{self.directory} holds no key and is not writable")
        if writable:
            retire = set(
                plan_rotation([KeyInfo(k.kid, k.created_at) for k in keys], now, **options).remove
            )
            for key in [k for k in keys if k.kid in retire]:
                with contextlib.suppress(FileNotFoundError):  # another replica was quicker
                    key.path.unlink()
                log.info("signing key retired", kid=key.kid)
            keys = [k for k in keys if k.kid not in retire]
        return keys

    def _read(self) -> list[SigningKey]:
        keys: dict[str, SigningKey] = {}
        for path in sorted(self.directory.glob("*.pem")):
            try:
                key = _load(path)
            except (OSError, ValueError, TypeError) as exc:
                log.warning("ignoring an unreadable key file", file=path.name, error=str(exc))
                continue
            if key.kid not in keys or key.created_at < keys[key.kid].created_at:
                keys[key.kid] = key
        return list(keys.values())

    def _create(self, now: float) -> SigningKey:
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        kid = jwk_thumbprint(OKPAlgorithm.to_jwk(private.public_key(), as_dict=True))
        path = self.directory / f"{int(now)}-{kid}.pem"
        tmp = self.directory / f".{kid}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
        return SigningKey.of(private, float(int(now)), path)

    async def active(self) -> SigningKey:
        """The key to sign with now: the newest."""
        await self.refresh()
        if not self._keys:
            raise RuntimeError("no signing key loaded")
        return max(self._keys.values(), key=lambda k: k.created_at)

    async def published(self) -> list[VerificationKey]:
        """Every key whose tokens may still be valid, newest first."""
        await self.refresh()
        ordered = sorted(self._keys.values(), key=lambda k: k.created_at, reverse=True)
        return [k.public for k in ordered]

    async def get(self, kid: str) -> VerificationKey | None:
        """KeySource for the service's own verifier; an unknown ``kid`` triggers a (rate-limited) reload."""
        key = self._keys.get(kid)
        if key is None:
            await self.refresh()
            key = self._keys.get(kid)
        return key.public if key is not None else None
