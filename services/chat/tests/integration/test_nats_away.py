"""NATS stalled does not hold a post up: the message is committed and answered within the deadline
the gateway gives the call, the lost publish is counted, and a resend publishes it (once).

Found by the chat Jepsen check (libs/devstack/tests/e2e/test_chat_jepsen.py): the JetStream publish
waited its full 5 s for an ack, as long as the gateway waits for the whole call, so while NATS was
away every send failed as ``unavailable`` although PostgreSQL had stored it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import Any

import msgspec
import pytest
from prometheus_client import REGISTRY

from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.devstack.infra import EmbeddedNats

pytestmark = pytest.mark.integration

#: What the sync gateway allows one chat call (``chat_client.CALL_TIMEOUT_S``).
GATEWAY_DEADLINE_S = 5.0


def _publish_failures() -> float:
    value = REGISTRY.get_sample_value(
        "syncwatch_chat_publish_failures_total", {"target": "jetstream"}
    )
    return value or 0.0


async def test_a_post_is_answered_while_nats_is_paused(launcher: Any, tmp_path: Path) -> None:
    # A NATS of this test's own: pausing the run's shared one would stall every other test.
    nats_server = EmbeddedNats(tmp_path / "nats")
    await nats_server.start()
    try:
        settings = msgspec.structs.replace(launcher.settings(), nats_url=nats_server.url)
        async with (
            launcher.running(settings) as service,
            launcher.client(service.grpc_address) as chat,
        ):
            room, ann = chat.new_room(), chat.new_user()
            await chat.post(room, ann, "before")
            failures = _publish_failures()
            pid = nats_server.pid
            assert pid is not None
            os.kill(pid, signal.SIGSTOP)
            try:
                async with asyncio.timeout(GATEWAY_DEADLINE_S):
                    posted = await chat.post(room, ann, "during", client_message_id="c-paused")
            finally:
                os.kill(pid, signal.SIGCONT)
            assert not posted.replayed
            assert _publish_failures() == failures + 1
            page = await chat.history(room)
            assert [m.content for m in page.messages] == ["before", "during"]

            resent = await chat.post(room, ann, "during", client_message_id="c-paused")
            assert resent.replayed
            assert resent.message == posted.message

        events = NatsDependency(
            nats_server.url, client_name="chat-test", streams=[Stream.CHAT_EVENTS]
        )
        await events.connect()
        try:
            sub = await events.js.subscribe(
                f"syncwatch.evt.chat.{room}.>", stream="CHAT_EVENTS", ordered_consumer=True
            )
            ids = []
            with contextlib.suppress(TimeoutError):  # until the stream has nothing more
                while True:
                    msg = await sub.next_msg(timeout=1)
                    ids.append((msg.headers or {}).get("Nats-Msg-Id"))
            await sub.unsubscribe()
        finally:
            await events.close()
        assert ids.count(f"chat.{posted.message.id}.posted") == 1
    finally:
        await nats_server.stop()
