"""``python -m syncwatch.devstack`` (``make dev``): the whole product on one machine, one origin."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path

from syncwatch.core.logs import configure_logging
from syncwatch.devstack.stack import DevStack, StackConfig


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command line; every option also has an environment variable (see README)."""
    parser = argparse.ArgumentParser(prog="syncwatch-dev", description=__doc__)
    parser.add_argument("--port", type=int, help="public port (SYNCWATCH_PORT, default 8080)")
    parser.add_argument(
        "--home", type=Path, help="state directory (SYNCWATCH_HOME, default ./.syncwatch)"
    )
    parser.add_argument(
        "--gateway-replicas", type=int, help="sync-gateway processes (SYNCWATCH_GATEWAY_REPLICAS)"
    )
    parser.add_argument(
        "--web-dist", type=Path, default=Path("services/web/dist"), help="built SPA to serve"
    )
    parser.add_argument("--no-restart", action="store_true", help="do not restart crashed services")
    return parser.parse_args(argv)


async def run(config: StackConfig) -> int:
    """Start, print the table, wait for readiness, run until SIGINT/SIGTERM, stop everything."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    stack = DevStack(config)
    started = time.monotonic()
    try:
        await stack.start()
        print(f"\nSyncWatch is starting at {config.origin}\n", flush=True)
        print(stack.port_table(), flush=True)
        print(
            f"\nreadiness: {config.origin}/health/ready   logs: {config.home / 'logs'}", flush=True
        )
        waiter = asyncio.create_task(_announce_ready(stack, started))
        await stop.wait()
        waiter.cancel()
    finally:
        print("\nstopping SyncWatch…", flush=True)
        t0 = time.monotonic()
        await stack.stop()
        print(f"stopped in {time.monotonic() - t0:.1f}s", flush=True)
    return 0


async def _announce_ready(stack: DevStack, started: float) -> None:
    while True:
        ready, _ = await stack.readiness()
        if ready:
            print(
                f"ready in {time.monotonic() - started:.1f}s: open {stack.config.origin}",
                flush=True,
            )
            return
        await asyncio.sleep(0.5)


def main(argv: list[str] | None = None) -> None:
    """Console entry point ``syncwatch-dev``."""
    args = parse_args(argv)
    web_dist = args.web_dist.resolve() if args.web_dist else None
    if web_dist is not None and not (web_dist / "index.html").exists():
        print(f"note: {web_dist} has no index.html; build the SPA with `make web`", file=sys.stderr)
    config = StackConfig.from_env(
        port=args.port,
        home=args.home.resolve() if args.home else None,
        gateway_replicas=args.gateway_replicas,
        web_dist=web_dist,
        restart_crashed=False if args.no_restart else None,
    )
    configure_logging("devstack", config.log_level, "console")
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(asyncio.run(run(config)))


if __name__ == "__main__":
    main()
