"""Local TCP port helpers for the dev stack: pick a free port, wait until one accepts connections."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
from pathlib import Path

__all__ = ["free_port", "port_is_free", "wait_for_port"]


# Ports already handed out by this process: two services must never be given the same one.
_handed_out: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now and that this process has
    not handed out before.

    Ports come from below the kernel's ephemeral range when there is room there: ports picked by
    the kernel (bind to port 0) come from that range, which every outgoing connection also draws
    from, so one of the stack's many client connections could take a port before its server
    binds it. The port is only reserved by convention; every caller fails loudly if its server then
    cannot bind.
    """
    low, _ = _ephemeral_range()
    if low > 11_000:
        for _ in range(200):
            port = secrets.randbelow(low - 10_000) + 10_000
            if port not in _handed_out and port_is_free(host, port):
                _handed_out.add(port)
                return port
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            port = int(sock.getsockname()[1])
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def port_is_free(host: str, port: int) -> bool:
    """Tell whether ``host:port`` can be bound right now (nothing listens on it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR mirrors what servers do, so a port lingering in TIME_WAIT counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


# The timeout is an argument so the error can name the address and the time waited.
async def wait_for_port(host: str, port: int, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until ``host:port`` accepts a TCP connection.

    Raises:
        TimeoutError: when nothing accepted a connection within ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last_error: OSError | None = None
    while True:
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        try:
            async with asyncio.timeout(min(remaining, 1.0)):
                _, writer = await asyncio.open_connection(host, port)
        except (OSError, TimeoutError) as exc:
            last_error = exc if isinstance(exc, OSError) else last_error
        else:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return
        await asyncio.sleep(min(0.05, max(deadline - loop.time(), 0)))
    reason = f" (last error: {last_error})" if last_error is not None else ""
    raise TimeoutError(f"{host}:{port} did not accept connections within {timeout:g} s{reason}")
