"""Every deployable: fails fast on bad settings, and declares the dependencies DESIGN.md gives it."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import msgspec
import pytest

from syncwatch.core.redisdb import RedisDb
from syncwatch.devstack.stack import SERVICES

EXPECTED = {
    # service: (postgres schema or None, redis databases, streams)
    "auth": (
        "auth",
        {RedisDb.SESSIONS, RedisDb.RATE_LIMITS, RedisDb.LIVE},
        {"AUDIT", "AUTH_EVENTS"},
    ),
    "room": ("room", {RedisDb.SESSIONS, RedisDb.RATE_LIMITS}, {"ROOM_EVENTS", "AUDIT"}),
    "sync-gateway": (None, {RedisDb.LIVE, RedisDb.SESSIONS}, {"ROOM_EVENTS", "SYNC_EVENTS"}),
    "chat": ("chat", {RedisDb.RATE_LIMITS}, {"CHAT_EVENTS", "ROOM_EVENTS", "SYNC_EVENTS"}),
    "signaling": (None, {RedisDb.LIVE}, set()),
    "transcoder": ("transcoder", {RedisDb.RATE_LIMITS}, {"MEDIA_EVENTS", "TRANSCODE_JOBS"}),
    "media-janitor": ("media_janitor", set(), {"ROOM_EVENTS", "MEDIA_EVENTS"}),
}


def test_launcher_runs_every_deployable() -> None:
    assert {kind.name for kind in SERVICES} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_missing_settings_stop_the_service_listing_each(name: str) -> None:
    kind = next(k for k in SERVICES if k.name == name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(kind.env_prefix)}
    env[f"{kind.env_prefix}HTTP_PORT"] = "not-a-port"
    proc = subprocess.run(
        [sys.executable, "-m", kind.module],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert f"{kind.env_prefix}NATS_URL is required" in proc.stderr
    schema, redis_dbs, _ = EXPECTED[name]
    assert (f"{kind.env_prefix}DATABASE_URL is required" in proc.stderr) == (schema is not None)
    assert (f"{kind.env_prefix}REDIS_URL is required" in proc.stderr) == bool(redis_dbs)
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_declared_dependencies(name: str) -> None:
    module = importlib.import_module(f"syncwatch.{name.replace('-', '_')}.service")
    # Every required setting gets a placeholder; connection URLs look like URLs.
    required = {
        f.name: f"{f.name}://x" for f in msgspec.structs.fields(module.Settings) if f.required
    }
    definition = module.build(module.Settings(**required))
    deps = {d.name: d for d in definition.dependencies}
    schema, redis_dbs, streams = EXPECTED[name]
    assert definition.name == name
    assert (deps["postgres"].schema if "postgres" in deps else None) == schema
    assert (set(deps["redis"].databases) if "redis" in deps else set()) == redis_dbs
    assert {str(s) for s in deps["nats"].streams} == streams
    if schema is not None:
        assert list(deps["postgres"].migrations_dir.glob("0001_*.sql"))
