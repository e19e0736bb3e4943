"""Local TCP port helpers for the dev stack: pick a free port, wait until one accepts connections."""

from __future__ import annotations

import asyncio
import contextlib
import socket

__all__ = ["free_port", "port_is_free", "wait_for_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now.

    The kernel picks it (bind to port 0); the socket is closed before returning, so another
    process could in principle take the port first. That race is acceptable for a dev stack and
    for tests, and every caller fails loudly if its server then cannot bind.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
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
