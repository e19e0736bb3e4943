"""Durability: a chat service stopped and started again on the same database has all its history;
without PostgreSQL a post is refused as UNAVAILABLE (retryable), never half-stored."""

from __future__ import annotations

import msgspec
import pytest

from syncwatch.core import errors
from syncwatch.devstack.ports import free_port

pytestmark = pytest.mark.integration


async def test_history_survives_a_restart(launcher) -> None:
    settings = launcher.settings()
    async with launcher.running(settings) as service, launcher.client(service.grpc_address) as chat:
        room, ann, bob = chat.new_room(), chat.new_user(), chat.new_user()
        posted = [
            (await chat.post(room, user, f"{i}", client_message_id=f"c{i}")).message
            for i, user in enumerate([ann, bob] * 5)
        ]
        joined = (await chat.post_system(room, "join", dedup_key="j1", actor_name="cy")).message
        await chat.delete(room, posted[0].id, ann)
        before = list((await chat.history(room)).messages)

    restarted = launcher.settings()  # new ports, same database
    assert restarted.database_url == settings.database_url
    async with (
        launcher.running(restarted) as service,
        launcher.client(service.grpc_address) as chat,
    ):
        after = list((await chat.history(room)).messages)
        assert after == before
        assert [m.seq for m in after] == list(range(1, 12))
        assert after[0].deleted
        assert after[-1] == joined
        # Keys and numbering carry on where they were.
        resent = await chat.post(room, bob, "1", client_message_id="c1")
        assert resent.replayed
        assert resent.message == posted[1]
        assert (await chat.post(room, bob, "new")).message.seq == 12


async def test_without_postgresql_a_post_is_unavailable_and_can_be_retried(launcher) -> None:
    settings = msgspec.structs.replace(
        launcher.settings(), database_url=f"postgresql://127.0.0.1:{free_port()}/nowhere"
    )
    async with (
        launcher.running(settings, wait_ready=False) as service,
        launcher.client(service.grpc_address) as chat,
    ):
        room, user = chat.new_room(), chat.new_user()
        with pytest.raises(errors.Unavailable) as away:
            await chat.post(room, user, "hello?")
        assert away.value.code == "unavailable"
        with pytest.raises(errors.Unavailable):
            await chat.history(room)
