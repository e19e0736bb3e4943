"""Room events on JetStream ROOM_EVENTS, each once (dedup by a stable Nats-Msg-Id), and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import msgspec
import pytest
import pytest_asyncio
from nats.aio.msg import Msg

from syncwatch.core.audit import AuditEvent
from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.room.adapters.events import RoomEvent
from syncwatch.room.rooms import RoomService
from syncwatch.testing.plugin import Infra

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def nats(infra: Infra) -> AsyncIterator[NatsDependency]:
    dep = NatsDependency(
        infra.nats_url, client_name="room-events-test", streams=[Stream.ROOM_EVENTS, Stream.AUDIT]
    )
    await dep.connect()
    await dep.setup()
    yield dep
    await dep.close()


async def _messages(nats: NatsDependency, subject: str, stream: str) -> list[Msg]:
    sub = await nats.js.subscribe(subject, stream=stream, ordered_consumer=True)
    found = []
    try:
        while True:
            found.append(await sub.next_msg(timeout=0.5))
    except TimeoutError:
        pass
    finally:
        await sub.unsubscribe()
    return found


async def _events(nats: NatsDependency, subject: str) -> list[tuple[str, RoomEvent]]:
    return [
        (m.headers["Nats-Msg-Id"] if m.headers else "", msgspec.json.decode(m.data, type=RoomEvent))
        for m in await _messages(nats, subject, "ROOM_EVENTS")
    ]


async def test_create_join_delete_are_published_once_each(room_service, nats) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner)
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        await c.post(f"{url}/join", headers=room_service.auth(bob))
        await c.post(f"{url}/join", headers=room_service.auth(bob))  # idempotent: no new event
        guest = await c.post(f"{url}/join", json={"guestName": "Kim"})
        assert (await c.delete(url, headers=room_service.auth(owner))).status_code == 204
    events = await _events(nats, f"syncwatch.evt.room.{room['id']}.>")
    assert [e.type for _, e in events] == [
        "room.created",
        "participant.joined",
        "participant.joined",
        "room.deleted",
    ]
    assert all(msg_id == e.id for msg_id, e in events)
    assert {e.room_id for _, e in events} == {room["id"]}
    assert events[0][1].actor_id == owner.id
    assert events[1][1].actor_id == bob.id
    assert events[2][1].member_id == guest.json()["member"]["id"]
    assert events[2][1].data["kind"] == "guest"

    audited = await _messages(nats, f"syncwatch.evt.audit.{room['id']}.>", "AUDIT")
    audit_types = [msgspec.json.decode(m.data, type=AuditEvent).event_type for m in audited]
    assert audit_types == [e.type for _, e in events]


async def test_a_republished_event_is_stored_once(room_service, nats) -> None:
    rooms = room_service.definition.extra["rooms"]
    assert isinstance(rooms, RoomService)
    room = await room_service.create_room(room_service.new_user())
    at = dt.datetime.fromtimestamp(room_service.clock.now(), dt.UTC)
    for _ in range(2):  # a retry of the same change
        await rooms.events.emit(
            "room.settings_changed",
            room_id=room["id"],
            code=room["code"],
            at=at,
            actor_id="u_x",
            actor_ip="10.9.9.9",
            data={"name": "again"},
        )
    events = await _events(nats, f"syncwatch.evt.room.{room['id']}.room.settings_changed")
    assert len(events) == 1


async def test_moderation_and_ownership_are_published(room_service, nats) -> None:
    ann, bob, carl, dan = (room_service.new_user() for _ in range(4))
    room = await room_service.create_room(ann)
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        ids = {}
        for user in (bob, carl, dan):
            resp = await c.post(f"{url}/join", headers=room_service.auth(user))
            ids[user.id] = resp.json()["member"]["id"]
        owner = room_service.auth(ann)
        await c.post(f"{url}/members/{ids[carl.id]}/kick", headers=owner)
        await c.post(f"{url}/bans", json={"memberId": ids[dan.id]}, headers=owner)
        await c.post(f"{url}/leave", headers=owner)
    events = [e for _, e in await _events(nats, f"syncwatch.evt.room.{room['id']}.>")]
    assert [e.type for e in events][4:] == [
        "participant.kicked",
        "participant.banned",
        "participant.left",
        "ownership.transferred",
    ]
    assert events[4].member_id == ids[carl.id]
    assert events[5].member_id == ids[dan.id]
    assert events[7].member_id == ids[bob.id]
    # Who left, by name, for the chat's "Ann left" line.
    assert events[6].data == {"kind": "user", "name": ann.username}


async def test_settings_and_permissions_are_published(room_service, nats) -> None:
    owner, bob = room_service.new_user(), room_service.new_user()
    room = await room_service.create_room(owner, playbackControl="selected")
    url = f"/api/rooms/{room['code']}"
    async with room_service.client() as c:
        bob_member = (await c.post(f"{url}/join", headers=room_service.auth(bob))).json()["member"]
        await c.patch(url, json={"name": "Renamed"}, headers=room_service.auth(owner))
        for _ in range(2):  # the second grant changes nothing and publishes nothing
            await c.put(f"{url}/controllers/{bob_member['id']}", headers=room_service.auth(owner))
        await c.delete(f"{url}/controllers/{bob_member['id']}", headers=room_service.auth(owner))
    events = [e for _, e in await _events(nats, f"syncwatch.evt.room.{room['id']}.>")]
    assert [e.type for e in events][2:] == [
        "room.settings_changed",
        "permission.granted",
        "permission.revoked",
    ]
    assert events[2].data["changed"] == ["name"]


async def test_a_buffering_change_is_published_as_a_settings_change(room_service, nats) -> None:
    owner = room_service.new_user()
    room = await room_service.create_room(owner)
    async with room_service.client() as c:
        resp = await c.patch(
            f"/api/rooms/{room['code']}",
            json={"buffering": {"policy": "always_wait", "graceSeconds": 20}},
            headers=room_service.auth(owner),
        )
    assert resp.status_code == 200, resp.text
    events = [
        e for _, e in await _events(nats, f"syncwatch.evt.room.{room['id']}.room.settings_changed")
    ]
    assert len(events) == 1
    assert events[0].data["changed"] == ["buffering"]
    assert events[0].data["buffering"] == {"policy": "always_wait", "graceSeconds": 20}
