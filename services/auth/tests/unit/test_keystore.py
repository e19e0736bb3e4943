"""The signing-key directory: created with 0600 keys, persistent, rotated and retired on the clock."""

from __future__ import annotations

import stat

import pytest

from syncwatch.auth.adapters.keystore import SigningKeyStore
from syncwatch.core.clock import ManualClock

DAY = 86_400


def _store(path, clock, **kw) -> SigningKeyStore:
    return SigningKeyStore(
        path, clock, rotation_s=30 * DAY, token_ttl_s=900, reload_interval_s=60, **kw
    )


async def test_first_key_is_created_private_and_survives_a_restart(tmp_path) -> None:
    clock = ManualClock()
    keys = tmp_path / "auth" / "keys"
    store = _store(keys, clock)
    await store.connect()
    await store.check()
    active = await store.active()
    files = list(keys.glob("*.pem"))
    assert [f.name for f in files] == [f"{int(clock.now())}-{active.kid}.pem"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in files[0].read_bytes()

    again = _store(keys, clock)
    await again.connect()
    assert (await again.active()).kid == active.kid
    assert [k.kid for k in await again.published()] == [active.kid]
    assert (await again.get(active.kid)) is not None
    assert (await again.get("unknown")) is None


async def test_rotation_with_overlap_then_retirement(tmp_path) -> None:
    clock = ManualClock()
    store = _store(tmp_path, clock)
    await store.connect()
    first = (await store.active()).kid

    clock.advance(30 * DAY)
    second = (await store.active()).kid  # the reload interval has passed: rotated
    assert second != first
    assert [k.kid for k in await store.published()] == [second, first]
    assert await store.get(first) is not None  # tokens signed by the first still verify

    clock.advance(900 + 60)
    await store.refresh(force=True)
    assert [k.kid for k in await store.published()] == [second, first]  # overlap for other replicas
    clock.advance(60)
    await store.refresh(force=True)
    assert [k.kid for k in await store.published()] == [second]
    assert len(list(tmp_path.glob("*.pem"))) == 1


async def test_a_key_made_by_another_replica_is_found(tmp_path) -> None:
    clock = ManualClock()
    a, b = _store(tmp_path, clock), _store(tmp_path, clock)
    await a.connect()
    await b.connect()
    clock.advance(30 * DAY)
    new = await a.active()
    assert await b.get(new.kid) is not None  # unknown kid: b reloads the directory


async def test_read_only_directory_is_used_as_it_is(tmp_path, monkeypatch) -> None:
    clock = ManualClock()
    store = _store(tmp_path, clock)
    await store.connect()
    kid = (await store.active()).kid
    # A mounted secret: nothing may be written (root ignores modes, so the check is stubbed).
    monkeypatch.setattr("syncwatch.auth.adapters.keystore.os.access", lambda *_: False)
    clock.advance(60 * DAY)
    await store.refresh(force=True)
    assert (await store.active()).kid == kid  # overdue, but no rotation is possible
    empty = _store(tmp_path / "empty", clock)
    (tmp_path / "empty").mkdir()
    with pytest.raises(PermissionError, match="not writable"):
        await empty.connect()


async def test_foreign_key_files_count_from_their_mtime(tmp_path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "tls.key.pem").write_bytes(pem)
    (tmp_path / "garbage.pem").write_text("not a key")
    clock = ManualClock(start=(tmp_path / "tls.key.pem").stat().st_mtime + 10)
    store = _store(tmp_path, clock)
    await store.connect()
    assert len(await store.published()) == 1  # the garbage is ignored, no new key needed
