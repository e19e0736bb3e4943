"""Real PostgreSQL, Redis and NATS as child processes: start, answer, stop, restart with data kept.

Every server uses a free port and a temporary directory: the machine's own PostgreSQL (5432),
Redis (6379) and NATS (4222) are never touched.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import nats
import psutil
import pytest
import redis.asyncio as redis_asyncio
from nats.js.api import StreamConfig

from syncwatch.devstack.infra import (
    EmbeddedNats,
    EmbeddedPostgres,
    EmbeddedRedis,
    EmbeddedServer,
    EmbeddedServerError,
    start_all,
    stop_all,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A directory the unprivileged PostgreSQL user can reach when the tests run as root.

    pytest's tmp_path lives under a 0700 directory, which ``nobody`` cannot traverse.
    """
    path = Path(tempfile.mkdtemp(prefix="syncwatch-devstack-test-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _processes_under(directory: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if any(str(directory) in arg for arg in cmdline) and not _gone(proc.pid):
            found.append(proc)
    return found


async def _restart_keeps_port_and_pid_changes(server: EmbeddedServer) -> None:
    port, url, old_pid = server.port, server.url, server.pid
    await server.stop()
    assert not server.is_running()
    assert server.pid is None
    assert old_pid is not None
    # Reaped by stop(), not merely signalled.
    assert not psutil.pid_exists(old_pid)
    await server.stop()  # idempotent
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)
    await server.start()
    assert server.port == port
    assert server.url == url
    assert server.pid not in (None, old_pid)


async def test_postgres_lifecycle_keeps_data(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    assert server.url == f"postgresql://syncwatch@127.0.0.1:{server.port}/syncwatch"
    try:
        await server.start()
        pid = server.pid
        await server.start()  # idempotent
        assert server.pid == pid
        conn = await asyncpg.connect(server.url)
        try:
            assert await conn.fetchval("SELECT current_database()") == "syncwatch"
            assert await conn.fetchval("SHOW fsync") == "on"
            assert await conn.fetchval("SHOW max_connections") == "200"
            await conn.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('row')")
        finally:
            await conn.close()
        if os.geteuid() == 0:
            assert psutil.Process(pid).username() == "nobody"

        await server.stop()
        # A run killed hard leaves postmaster.pid behind, naming a pid that no longer runs.
        dead = subprocess.Popen(["true"])
        dead.wait()
        (server.pgdata / "postmaster.pid").write_text(f"{dead.pid}\n{server.pgdata}\n")
        await server.start()
        await _restart_keeps_port_and_pid_changes(server)

        conn = await asyncpg.connect(server.url)
        try:
            assert await conn.fetchval("SELECT v FROM kept") == "row"
        finally:
            await conn.close()
        assert "database system is ready" in server.log_path.read_text()
    finally:
        await server.stop()
    assert _processes_under(data_dir) == []
    with pytest.raises(ConnectionRefusedError):
        await asyncpg.connect(server.url, timeout=2)


async def test_redis_lifecycle_keeps_data(data_dir: Path) -> None:
    server = EmbeddedRedis(data_dir)
    assert server.url == f"redis://127.0.0.1:{server.port}"
    try:
        await server.start()
        client = redis_asyncio.Redis.from_url(server.url)
        try:
            assert await client.ping()
            await client.set("kept", "value")
        finally:
            await client.aclose()

        await _restart_keeps_port_and_pid_changes(server)

        client = redis_asyncio.Redis.from_url(server.url)
        try:
            assert await client.get("kept") == b"value"
            assert (await client.config_get("appendonly"))["appendonly"] == "yes"
        finally:
            await client.aclose()
    finally:
        await server.stop()
    assert _processes_under(data_dir) == []


async def test_nats_lifecycle_keeps_jetstream_data(data_dir: Path) -> None:
    server = EmbeddedNats(data_dir)
    assert server.url == f"nats://127.0.0.1:{server.port}"
    try:
        await server.start()
        client = await nats.connect(server.url)
        try:
            js = client.jetstream()
            await js.add_stream(StreamConfig(name="KEPT", subjects=["kept.>"]))
            await js.publish("kept.one", b"payload")
        finally:
            await client.close()

        await _restart_keeps_port_and_pid_changes(server)

        client = await nats.connect(server.url)
        try:
            info = await client.jetstream().stream_info("KEPT")
            assert info.state.messages == 1
        finally:
            await client.close()
        assert (data_dir / "jetstream").is_dir()
    finally:
        await server.stop()
    assert _processes_under(data_dir) == []


async def test_start_all_and_stop_all(data_dir: Path) -> None:
    servers = [EmbeddedRedis(data_dir / "redis"), EmbeddedNats(data_dir / "nats")]
    try:
        await start_all(servers)
        assert all(s.is_running() for s in servers)
    finally:
        await stop_all(servers)
    assert not any(s.is_running() for s in servers)
    assert _processes_under(data_dir) == []


async def test_a_taken_port_is_a_clear_error(data_dir: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        server = EmbeddedRedis(data_dir, port=sock.getsockname()[1])
        with pytest.raises(EmbeddedServerError, match="already in use"):
            await server.start()
    assert not server.is_running()


async def test_a_server_that_exits_at_start_reports_its_log(data_dir: Path) -> None:
    class MisconfiguredNats(EmbeddedNats):
        def _argv(self) -> list[str]:
            return [*super()._argv(), "--no-such-flag"]

    server = MisconfiguredNats(data_dir)
    with pytest.raises(EmbeddedServerError, match=r"nats exited with status \d+") as error:
        await server.start()
    assert str(server.log_path) in str(error.value)
    # The end of the log says why.
    assert "no-such-flag" in str(error.value).split("nats.log:", 1)[1]
    assert not server.is_running()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another user")
async def test_postgres_under_root_explains_an_unreachable_data_dir(tmp_path: Path) -> None:
    # pytest's own temporary root is 0700: 'nobody' cannot get through it.
    server = EmbeddedPostgres(tmp_path / "pg")
    with pytest.raises(EmbeddedServerError, match=r"'nobody'.*cannot traverse .*chmod o\+x"):
        await server.start()
    assert not server.is_running()


# PostgreSQL too: its death signal is set after the switch to 'nobody' when run as root.
@pytest.mark.parametrize("server_class", ["EmbeddedRedis", "EmbeddedPostgres"])
async def test_server_dies_with_a_sigkilled_launcher(data_dir: Path, server_class: str) -> None:
    launcher_script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from syncwatch.devstack import infra

        async def main():
            server = infra.{server_class}(Path({str(data_dir)!r}))
            await server.start()
            print(server.pid, flush=True)
            await asyncio.sleep(3600)

        asyncio.run(main())
        """
    )
    launcher = await asyncio.create_subprocess_exec(
        sys.executable, "-c", launcher_script, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert launcher.stdout is not None
        line = await asyncio.wait_for(launcher.stdout.readline(), 60)
        child_pid = int(line)
        assert not _gone(child_pid)
    finally:
        launcher.send_signal(signal.SIGKILL)
        await launcher.wait()
    for _ in range(200):
        if _gone(child_pid):
            break
        await asyncio.sleep(0.05)
    assert _gone(child_pid)
    assert _processes_under(data_dir) == []
