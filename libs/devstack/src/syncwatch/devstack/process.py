"""Child processes that die with the launcher and stop in order (servers and services alike)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
import os
import pwd
import signal
import sys
from collections.abc import Callable

import psutil

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1

PreexecFn = Callable[[], None]


def _libc_prctl() -> Callable[..., int] | None:
    """Resolve libc's prctl, or None where there is none (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    prctl: Callable[..., int] = libc.prctl
    return prctl


def child_setup(
    death_signal: signal.Signals = signal.SIGTERM, run_as: pwd.struct_passwd | None = None
) -> PreexecFn:
    """Build the function a child runs between fork and exec: drop privileges, then ask the kernel
    for ``death_signal`` when the launcher dies, so a SIGKILLed launcher leaves nothing behind.

    Everything it calls is resolved here, in the parent, because the child of a threaded process
    must not load libraries or take locks before exec.
    """
    parent_pid = os.getpid()
    prctl = _libc_prctl()

    def setup() -> None:
        if run_as is not None:
            # Group first and supplementary groups cleared while we still have the privilege.
            os.setgid(run_as.pw_gid)
            os.setgroups([])
            os.setuid(run_as.pw_uid)
        if prctl is not None:
            # After the credential change: the kernel clears the death signal on setuid/setgid.
            prctl(_PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0)
        if os.getppid() != parent_pid:
            # The launcher died between fork and prctl; no signal will come, so leave now.
            os._exit(1)

    return setup


def kill_tree(pid: int) -> None:
    """SIGKILL a process, its process group and every descendant."""
    # Children are collected first: PostgreSQL backends call setsid(), so killing the
    # process group alone would miss them.
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        children = []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


async def terminate(
    proc: asyncio.subprocess.Process, sig: int, *, grace_s: float, name: str = "process"
) -> int:
    """Send ``sig``, wait up to ``grace_s`` seconds, then SIGKILL the process and its descendants."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            await asyncio.wait_for(proc.wait(), grace_s)
        except TimeoutError:
            logger.warning("%s did not stop within %g s; killing pid %d", name, grace_s, proc.pid)
            kill_tree(proc.pid)
            await proc.wait()
    return proc.returncode if proc.returncode is not None else -1
