"""Invites against the real auth service (friendships over gRPC ``AreFriends``): send, list,
dismiss, settle by joining, refusals, the hourly limit, and auth being unreachable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
import pytest_asyncio
from nats.aio.msg import Msg

from syncwatch.core.audit import AuditEvent
from syncwatch.core.bus import NatsDependency, Stream
from syncwatch.room.adapters.events import RoomEvent
from syncwatch.testing.plugin import Infra

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def nats(infra: Infra) -> AsyncIterator[NatsDependency]:
    dep = NatsDependency(
        infra.nats_url, client_name="room-invites-test", streams=[Stream.ROOM_EVENTS, Stream.AUDIT]
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


async def _invite(room_service, c, code: str, inviter, user_id: str) -> tuple[int, dict[str, Any]]:
    resp = await c.post(
        f"/api/rooms/{code}/invites", json={"userId": user_id}, headers=room_service.auth(inviter)
    )
    body: dict[str, Any] = resp.json()
    return resp.status_code, body


async def _invites_of(room_service, c, user) -> list[dict[str, Any]]:
    resp = await c.get("/api/rooms/invites", headers=room_service.auth(user))
    assert resp.status_code == 200, resp.text
    invites: list[dict[str, Any]] = resp.json()["invites"]
    return invites


async def test_invite_a_friend_who_then_joins(room_service, auth_service, nats) -> None:
    ann, bob, carl = [await auth_service.register() for _ in range(3)]
    await auth_service.befriend(ann, bob)
    await auth_service.befriend(bob, carl)
    room = await room_service.create_room(ann, name="Friday film", password="open sesame")
    code = room["code"]
    async with room_service.client() as c:
        status, body = await _invite(room_service, c, code, ann, bob.id)
        assert status == 201, body
        invite = body["invite"]
        assert invite["id"].startswith("inv_")
        assert invite["from"] == {"id": ann.id, "username": ann.username}
        assert invite["room"]["code"] == code
        assert invite["room"]["name"] == "Friday film"
        assert invite["room"]["hasPassword"] is True
        assert "createdAt" in invite

        # Asking again, or another member asking, answers with the invite already pending.
        same = {"id": invite["id"], "from": invite["from"]}
        status, again = await _invite(room_service, c, code, ann, bob.id)
        assert (status, {k: again["invite"][k] for k in same}) == (200, same)
        await c.post(
            f"/api/rooms/{code}/join",
            json={"password": "open sesame"},
            headers=room_service.auth(carl),
        )
        status, by_carl = await _invite(room_service, c, code, carl, bob.id)
        assert (status, {k: by_carl["invite"][k] for k in same}) == (200, same)

        invite = by_carl["invite"]  # seatsTaken has moved on since
        assert await _invites_of(room_service, c, bob) == [invite]
        assert await _invites_of(room_service, c, ann) == []

        # The invite skips nothing: the password is still asked for.
        no_password = await c.post(f"/api/rooms/{code}/join", headers=room_service.auth(bob))
        assert no_password.json()["code"] == "password_required"
        assert await _invites_of(room_service, c, bob) == [invite]
        joined = await c.post(
            f"/api/rooms/{code}/join",
            json={"password": "open sesame"},
            headers=room_service.auth(bob),
        )
        assert joined.status_code == 201
        # Joining settled it.
        assert await _invites_of(room_service, c, bob) == []
        again = await _invite(room_service, c, code, ann, bob.id)
        assert (again[0], again[1]["code"]) == (409, "already_member")

    sent = [
        msgspec.json.decode(m.data, type=RoomEvent)
        for m in await _messages(
            nats, f"syncwatch.evt.room.{room['id']}.invite.sent", "ROOM_EVENTS"
        )
    ]
    assert len(sent) == 1  # the repeated asks published nothing
    assert (sent[0].actor_id, sent[0].data) == (
        ann.id,
        {"inviteId": invite["id"], "toUserId": bob.id},
    )
    audited = [
        msgspec.json.decode(m.data, type=AuditEvent)
        for m in await _messages(nats, f"syncwatch.evt.audit.{room['id']}.>", "AUDIT")
    ]
    assert [a.event_type for a in audited].count("invite.sent") == 1


async def test_invites_are_for_friends_from_members(room_service, auth_service) -> None:
    ann, bob, stranger, outsider = [await auth_service.register() for _ in range(4)]
    await auth_service.befriend(ann, bob)
    await auth_service.befriend(outsider, bob)
    room = await room_service.create_room(ann)
    code = room["code"]
    async with room_service.client() as c:
        guest = await c.post(f"/api/rooms/{code}/join", json={"guestName": "Kim"})

        async def ask(inviter, user_id: object, headers=None) -> tuple[int, str]:
            resp = await c.post(
                f"/api/rooms/{code}/invites",
                json={"userId": user_id},
                headers=headers if headers is not None else room_service.auth(inviter),
            )
            return resp.status_code, resp.json()["code"]

        assert await ask(ann, stranger.id) == (403, "not_friends")
        assert await ask(ann, ann.id) == (400, "cannot_target_self")
        assert await ask(ann, "") == (400, "invalid_request")
        assert await ask(ann, 42) == (400, "invalid_request")
        assert await ask(outsider, bob.id) == (403, "not_member")
        guest_token = room_service.bearer(guest.json()["guestToken"])
        assert await ask(None, bob.id, guest_token) == (401, "auth_required")
        assert await ask(None, bob.id, {}) == (401, "auth_required")
        gone = await c.post(
            "/api/rooms/ZZZZZZZ7/invites", json={"userId": bob.id}, headers=room_service.auth(ann)
        )
        assert (gone.status_code, gone.json()["code"]) == (404, "room_not_found")
        # Nothing of that reached bob.
        assert await _invites_of(room_service, c, bob) == []


async def test_dismissing_and_gone_rooms(room_service, auth_service) -> None:
    ann, bob, carl = [await auth_service.register() for _ in range(3)]
    await auth_service.befriend(ann, bob)
    await auth_service.befriend(carl, bob)
    first = await room_service.create_room(ann)
    second = await room_service.create_room(ann)
    third = await room_service.create_room(carl)
    async with room_service.client() as c:
        ids = {}
        for room, inviter in ((first, ann), (second, ann), (third, carl)):
            status, body = await _invite(room_service, c, room["code"], inviter, bob.id)
            assert status == 201
            ids[room["code"]] = body["invite"]["id"]
        room_service.clock.advance(1)
        listed = await _invites_of(room_service, c, bob)
        # Newest first (all three at one instant here, so just the same set).
        assert {i["id"] for i in listed} == set(ids.values())

        first_invite = ids[first["code"]]
        not_yours = await c.delete(
            f"/api/rooms/invites/{first_invite}", headers=room_service.auth(carl)
        )
        assert (not_yours.status_code, not_yours.json()["code"]) == (404, "invite_not_found")
        dismissed = await c.delete(
            f"/api/rooms/invites/{first_invite}", headers=room_service.auth(bob)
        )
        assert dismissed.status_code == 204
        twice = await c.delete(f"/api/rooms/invites/{first_invite}", headers=room_service.auth(bob))
        assert (twice.status_code, twice.json()["code"]) == (404, "invite_not_found")
        unknown = await c.delete("/api/rooms/invites/inv_nothing", headers=room_service.auth(bob))
        assert (unknown.status_code, unknown.json()["code"]) == (404, "invite_not_found")

        # An ended room's invite is no longer listed.
        await c.delete(f"/api/rooms/{third['code']}", headers=room_service.auth(carl))
        assert [i["id"] for i in await _invites_of(room_service, c, bob)] == [ids[second["code"]]]

        # A dismissed invite may be sent again: it is a new one.
        status, body = await _invite(room_service, c, first["code"], ann, bob.id)
        assert status == 201
        assert body["invite"]["id"] != first_invite
        listed = await _invites_of(room_service, c, bob)
        assert [i["id"] for i in listed] == [body["invite"]["id"], ids[second["code"]]]


async def test_the_invites_path_is_not_a_room_code(room_service) -> None:
    ip = room_service.next_ip()
    async with room_service.client(ip) as c:
        for _ in range(6):  # more than the unknown-code limit: none of these is a code lookup
            anonymous = await c.get("/api/rooms/invites")
            assert (anonymous.status_code, anonymous.json()["code"]) == (401, "auth_required")
        mine = await c.get("/api/rooms/invites", headers=room_service.auth(room_service.new_user()))
        assert mine.status_code == 200
        assert mine.json() == {"invites": []}


async def test_thirty_invites_per_user_per_hour(room_service, auth_service) -> None:
    ann, bob = await auth_service.register(), await auth_service.register()
    await auth_service.befriend(ann, bob)
    stranger = room_service.new_user()
    room = await room_service.create_room(ann)
    async with room_service.client() as c:
        statuses = [(await _invite(room_service, c, room["code"], ann, bob.id))[0]]
        # Every ask that reaches auth counts: repeats and strangers too.
        statuses += [
            (await _invite(room_service, c, room["code"], ann, bob.id))[0] for _ in range(14)
        ]
        statuses += [
            (await _invite(room_service, c, room["code"], ann, stranger.id))[0] for _ in range(15)
        ]
        assert statuses == [201] + [200] * 14 + [403] * 15
        resp = await c.post(
            f"/api/rooms/{room['code']}/invites",
            json={"userId": bob.id},
            headers=room_service.auth(ann),
        )
        assert (resp.status_code, resp.json()["code"]) == (429, "rate_limited")
        assert 0 < int(resp.headers["Retry-After"]) <= 3600
        room_service.clock.advance(3600)
        status, _ = await _invite(room_service, c, room["code"], ann, bob.id)
        assert status == 200


async def test_auth_unreachable_is_503(room_service_without_auth) -> None:
    service = room_service_without_auth
    ann, bob = service.new_user(), service.new_user()
    room = await service.create_room(ann)
    async with service.client() as c:
        resp = await c.post(
            f"/api/rooms/{room['code']}/invites", json={"userId": bob.id}, headers=service.auth(ann)
        )
        assert resp.status_code == 503, resp.text
        body = resp.json()
        assert body["code"] == "dependency_unavailable"
        assert body["status"] == 503
        # Nothing was stored: the invite does not exist.
        listed = await c.get("/api/rooms/invites", headers=service.auth(bob))
        assert listed.json() == {"invites": []}
