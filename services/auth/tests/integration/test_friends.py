"""Friends against the real service: requests, answers, removal, blocks, search, online state."""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.integration


class Person:
    """A signed-in user with their own browser."""

    def __init__(self, auth, client, session) -> None:
        self.auth, self.client, self.session = auth, client, session
        self.id = session["user"]["id"]
        self.name = session["user"]["username"]

    async def get(self, path: str, **kw):
        return await self.client.get(path, headers=self.auth.bearer(self.session), **kw)

    async def post(self, path: str, body: dict):
        return await self.client.post(path, json=body, headers=self.auth.bearer(self.session))

    async def delete(self, path: str):
        return await self.client.delete(path, headers=self.auth.bearer(self.session))

    async def friends(self) -> dict:
        resp = await self.get("/api/friends")
        assert resp.status_code == 200, resp.text
        return resp.json()


@pytest.fixture
async def people(auth):
    clients = []

    async def make(prefix: str = "p") -> Person:
        client = auth.client()
        clients.append(client)
        return Person(auth, client, await auth.register(client, auth.new_name(prefix)))

    yield make
    for client in clients:
        await client.aclose()


async def test_request_accept_and_both_see_each_other(people) -> None:
    ann, bob = await people("ann"), await people("bob")
    asked = await ann.post("/api/friends/request", {"username": bob.name.upper()})
    assert asked.status_code == 201, asked.text
    request = asked.json()["request"]
    assert request["user"] == {"id": bob.id, "username": bob.name}
    assert request["id"].startswith("fr_")

    assert (await ann.friends())["outgoing"][0]["id"] == request["id"]
    incoming = (await bob.friends())["incoming"]
    assert [(r["id"], r["user"]["id"]) for r in incoming] == [(request["id"], ann.id)]

    again = await ann.post("/api/friends/request", {"username": bob.name})
    assert (again.status_code, again.json()["code"]) == (409, "request_exists")
    not_mine = await ann.post("/api/friends/accept", {"requestId": request["id"]})
    assert (not_mine.status_code, not_mine.json()["code"]) == (404, "request_not_found")

    accepted = await bob.post("/api/friends/accept", {"requestId": request["id"]})
    assert accepted.status_code == 200, accepted.text
    friend = accepted.json()["friend"]
    assert friend["user"] == {"id": ann.id, "username": ann.name}
    assert friend["online"] is True  # ann just made an authenticated request

    ann_view, bob_view = await ann.friends(), await bob.friends()
    assert [f["user"]["id"] for f in ann_view["friends"]] == [bob.id]
    assert [f["user"]["id"] for f in bob_view["friends"]] == [ann.id]
    assert ann_view["incoming"] == ann_view["outgoing"] == bob_view["incoming"] == []
    dup = await bob.post("/api/friends/request", {"username": ann.name})
    assert (dup.status_code, dup.json()["code"]) == (409, "already_friends")

    removed = await bob.delete(f"/api/friends/{ann.id}")
    assert removed.status_code == 204
    assert (await ann.friends())["friends"] == []
    gone = await bob.delete(f"/api/friends/{ann.id}")
    assert (gone.status_code, gone.json()["code"]) == (404, "not_friends")


async def test_asking_someone_who_asked_you_makes_you_friends(people) -> None:
    ann, bob = await people(), await people()
    await ann.post("/api/friends/request", {"username": bob.name})
    answer = await bob.post("/api/friends/request", {"username": ann.name})
    assert answer.status_code == 200
    assert answer.json()["friend"]["user"]["id"] == ann.id


async def test_both_asking_at_once_end_as_friends(people) -> None:
    ann, bob = await people(), await people()
    a, b = await asyncio.gather(
        ann.post("/api/friends/request", {"username": bob.name}),
        bob.post("/api/friends/request", {"username": ann.name}),
    )
    assert sorted((a.status_code, b.status_code)) == [200, 201]
    assert [f["user"]["id"] for f in (await ann.friends())["friends"]] == [bob.id]


async def test_decline_and_cancel(people) -> None:
    ann, bob, cat = await people(), await people(), await people()
    to_bob = (await ann.post("/api/friends/request", {"username": bob.name})).json()["request"]
    to_cat = (await ann.post("/api/friends/request", {"username": cat.name})).json()["request"]

    assert (await bob.post("/api/friends/decline", {"requestId": to_bob["id"]})).status_code == 204
    assert (await bob.friends())["incoming"] == []
    assert [r["user"]["id"] for r in (await ann.friends())["outgoing"]] == [cat.id]

    # Only the requester cancels, only the addressee declines.
    assert (await cat.delete(f"/api/friends/requests/{to_cat['id']}")).status_code == 404
    assert (await ann.post("/api/friends/decline", {"requestId": to_cat["id"]})).status_code == 404
    assert (await ann.delete(f"/api/friends/requests/{to_cat['id']}")).status_code == 204
    assert (await cat.friends())["incoming"] == []
    again = await ann.delete(f"/api/friends/requests/{to_cat['id']}")
    assert (again.status_code, again.json()["code"]) == (404, "request_not_found")


async def test_block_ends_everything_and_hides_you(people) -> None:
    ann, bob = await people("blk"), await people("blk")
    request = (await ann.post("/api/friends/request", {"username": bob.name})).json()["request"]
    await bob.post("/api/friends/accept", {"requestId": request["id"]})

    assert (await bob.post("/api/friends/block", {"username": ann.name})).status_code == 204
    assert (await bob.post("/api/friends/block", {"username": ann.name})).status_code == 204
    bob_view = await bob.friends()
    assert bob_view["friends"] == []
    assert [b["user"]["id"] for b in bob_view["blocked"]] == [ann.id]
    assert (await ann.friends())["friends"] == []

    # To ann, bob no longer exists; bob must unblock before asking ann.
    hidden = await ann.post("/api/friends/request", {"username": bob.name})
    assert (hidden.status_code, hidden.json()["code"]) == (404, "user_not_found")
    search = await ann.get("/api/friends/search", params={"q": bob.name[:8]})
    assert bob.id not in [u["user"]["id"] for u in search.json()["users"]]
    blocked = await bob.post("/api/friends/request", {"username": ann.name})
    assert (blocked.status_code, blocked.json()["code"]) == (403, "blocked")
    seen_by_bob = await bob.get("/api/friends/search", params={"q": ann.name})
    assert seen_by_bob.json()["users"] == [
        {"user": {"id": ann.id, "username": ann.name}, "relation": "blocked"}
    ]

    assert (await bob.delete(f"/api/friends/block/{ann.id}")).status_code == 204
    not_blocked = await bob.delete(f"/api/friends/block/{ann.id}")
    assert (not_blocked.status_code, not_blocked.json()["code"]) == (404, "not_blocked")
    assert (await ann.post("/api/friends/request", {"username": bob.name})).status_code == 201


async def test_errors_for_self_unknown_and_bad_input(people) -> None:
    ann = await people()
    me = await ann.post("/api/friends/request", {"username": ann.name})
    assert (me.status_code, me.json()["code"]) == (400, "cannot_friend_self")
    nobody = await ann.post("/api/friends/request", {"username": "nobody-here-at-all"})
    assert (nobody.status_code, nobody.json()["code"]) == (404, "user_not_found")
    assert (await ann.post("/api/friends/block", {"username": ann.name})).status_code == 400
    missing = await ann.post("/api/friends/request", {})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "username"
    short = await ann.get("/api/friends/search", params={"q": "a"})
    assert short.status_code == 400
    no_token = await ann.client.get("/api/friends")
    assert (no_token.status_code, no_token.json()["code"]) == (401, "auth_required")


async def test_search_by_prefix_with_relations(auth, people) -> None:
    stem = auth.new_name("srch")[:14]
    me = await people()
    names = [f"{stem}{suffix}" for suffix in ("a", "b", "c", "d")]
    others = []
    for name in names:
        async with auth.client() as client:
            others.append(await auth.register(client, name))
    friend, asked_me, i_asked, _ = others
    # friend: accepted; asked_me: incoming; i_asked: outgoing; the last: none.
    async with auth.client() as c:
        s = await c.post(
            "/api/friends/request", json={"username": me.name}, headers=auth.bearer(friend)
        )
        await me.post("/api/friends/accept", {"requestId": s.json()["request"]["id"]})
        await c.post(
            "/api/friends/request", json={"username": me.name}, headers=auth.bearer(asked_me)
        )
    await me.post("/api/friends/request", {"username": i_asked["user"]["username"]})

    resp = await me.get("/api/friends/search", params={"q": stem.upper()})
    assert resp.status_code == 200
    assert [(u["user"]["username"], u["relation"]) for u in resp.json()["users"]] == [
        (names[0], "friend"),
        (names[1], "incoming"),
        (names[2], "outgoing"),
        (names[3], "none"),
    ]
    # LIKE wildcards are literal.
    assert (await me.get("/api/friends/search", params={"q": "%%"})).json()["users"] == []


async def test_online_means_a_request_in_the_last_two_minutes(auth, people) -> None:
    ann, bob = await people(), await people()
    request = (await ann.post("/api/friends/request", {"username": bob.name})).json()["request"]
    await bob.post("/api/friends/accept", {"requestId": request["id"]})
    assert (await ann.friends())["friends"][0]["online"] is True
    auth.clock.advance(121)
    assert (await ann.friends())["friends"][0]["online"] is False  # bob has been quiet
    assert (await bob.get("/api/auth/me")).status_code == 200
    assert (await ann.friends())["friends"][0]["online"] is True
