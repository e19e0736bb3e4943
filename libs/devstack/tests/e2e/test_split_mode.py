"""Split mode: the same services against shared servers, several gateway replicas, one killed."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import pytest

from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig, wait_ready

pytestmark = pytest.mark.e2e


async def _gateway_states(stack: DevStack) -> tuple[str, dict[str, str]]:
    _, body = await stack.readiness()
    gateway = body["services"]["sync-gateway"]
    return gateway["status"], {k: v["status"] for k, v in gateway["instances"].items()}


async def test_gateway_replicas_on_shared_servers(infra) -> None:
    home = Path(tempfile.mkdtemp(prefix="syncwatch-split-"))
    config = StackConfig(
        home=home,
        port=free_port(),
        database_url=infra.postgres_url,
        redis_url=infra.redis_url,
        nats_url=infra.nats_url,
        gateway_replicas=2,
        restart_crashed=False,
    )
    stack = DevStack(config)
    assert stack.infra == {}  # nothing embedded: the servers are shared
    await stack.start()
    try:
        body = await wait_ready(stack, within_s=120)
        assert all(d["embedded"] is False for d in body["dependencies"].values())
        assert await _gateway_states(stack) == (
            "up",
            {"sync-gateway-1": "up", "sync-gateway-2": "up"},
        )

        await stack.kill_instance("sync-gateway-2")
        status, instances = await _gateway_states(stack)
        assert (status, instances["sync-gateway-2"]) == ("up", "down")
        ready, _ = await stack.readiness()
        assert ready  # one replica serves the room's members while the other is down

        await stack.start_instance("sync-gateway-2")
        async with asyncio.timeout(60):
            while (await _gateway_states(stack))[1]["sync-gateway-2"] != "up":
                await asyncio.sleep(0.5)
    finally:
        await stack.stop()
        shutil.rmtree(home, ignore_errors=True)
