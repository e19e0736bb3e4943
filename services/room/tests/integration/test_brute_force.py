"""Spec §7.7.3 with the manual clock: unknown codes, wrong passwords, join attempts per IP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


async def test_five_unknown_codes_block_the_ip_for_an_hour(room_service) -> None:
    room = await room_service.create_room(room_service.new_user())
    ip = room_service.next_ip()
    async with room_service.client(ip) as c, room_service.client() as other:
        for code in ("ZZZZZZZ2", "ZZZZZZZ3", "ZZZZZZZ4", "not-a-code", "ZZZZZZZ5"):
            assert (await c.get(f"/api/rooms/{code}")).status_code == 404
        blocked = await c.get(f"/api/rooms/{room['code']}")
        assert blocked.status_code == 429
        assert blocked.json()["code"] == "rate_limited"
        assert 3500 < int(blocked.headers["Retry-After"]) <= 3600
        join = await c.post(
            f"/api/rooms/{room['code']}/join", headers=room_service.auth(room_service.new_user())
        )
        assert join.status_code == 429
        # Another address is not affected.
        assert (await other.get(f"/api/rooms/{room['code']}")).status_code == 200

        room_service.clock.advance(3599)
        assert (await c.get(f"/api/rooms/{room['code']}")).status_code == 429
        room_service.clock.advance(1)
        assert (await c.get(f"/api/rooms/{room['code']}")).status_code == 200


async def test_three_wrong_passwords_block_the_room_for_thirty_minutes(room_service) -> None:
    room = await room_service.create_room(room_service.new_user(), password="open sesame")
    other_room = await room_service.create_room(room_service.new_user(), password="other pass")
    ip = room_service.next_ip()
    url = f"/api/rooms/{room['code']}/join"
    async with room_service.client(ip) as c:
        for _ in range(3):
            wrong = await c.post(url, json={"guestName": "Eve", "password": "guess"})
            assert wrong.status_code == 403
        right = await c.post(url, json={"guestName": "Eve", "password": "open sesame"})
        assert right.status_code == 429
        assert 1700 < int(right.headers["Retry-After"]) <= 1800
        # Only this room, only this address.
        elsewhere = await c.post(
            f"/api/rooms/{other_room['code']}/join",
            json={"guestName": "Eve", "password": "other pass"},
        )
        assert elsewhere.status_code == 201
        async with room_service.client() as other_ip:
            ok = await other_ip.post(url, json={"guestName": "Ann", "password": "open sesame"})
            assert ok.status_code == 201

        room_service.clock.advance(1800)
        after = await c.post(url, json={"guestName": "Eve", "password": "open sesame"})
        assert after.status_code == 201, after.text


async def test_ten_join_attempts_per_minute_per_ip(room_service) -> None:
    room = await room_service.create_room(room_service.new_user(), maxParticipants=5)
    ip = room_service.next_ip()
    url = f"/api/rooms/{room['code']}/join"
    async with room_service.client(ip) as c:
        statuses = [
            (await c.post(url, headers=room_service.auth(room_service.new_user()))).status_code
            for _ in range(10)
        ]
        assert statuses == [201] * 4 + [409] * 6  # full after four, but every attempt counts
        eleventh = await c.post(url, headers=room_service.auth(room_service.new_user()))
        assert eleventh.status_code == 429
        assert 0 < int(eleventh.headers["Retry-After"]) <= 60
        room_service.clock.advance(60)
        again = await c.post(url, headers=room_service.auth(room_service.new_user()))
        assert again.status_code == 409
