"""Property: a member who applies every event to the snapshot it joined with ends where a member
joining now starts (``snapshot + events == fresh snapshot``), for any interleaving of every
command kind from controllers on two replicas. The events are read with a model written here,
independently of the gateway's own code."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncwatch.testing.tokens import TestUser

pytestmark = pytest.mark.integration

actions = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # which controller (replica)
        st.one_of(
            st.just(("sync:play", {})),
            st.just(("sync:pause", {})),
            st.builds(
                lambda t: ("sync:seek", {"targetMediaTime": t}),
                st.floats(min_value=0, max_value=7_200_000, allow_nan=False),
            ),
            st.builds(
                lambda r: ("sync:rate", {"rate": r}),
                st.sampled_from([0.25, 0.5, 1.0, 1.25, 1.5, 2.0]),
            ),
            st.builds(
                lambda n: (
                    "sync:source",
                    {"sourceType": "external", "sourceId": f"https://v.test/{n}.mp4"},
                ),
                st.integers(min_value=0, max_value=3),
            ),
        ),
        st.booleans(),  # wait for the answer before the next action, or fire on
    ),
    min_size=1,
    max_size=12,
)


def reduce(state: dict[str, Any], command: dict[str, Any]) -> dict[str, Any]:
    """Where one command leaves the playback, from the command's own fields."""
    at = command["atServerTime"]
    here = state["anchorMediaTime"]
    if state["isPlaying"]:
        here = max(0.0, here + (at - state["anchorServerTime"]) * state["playbackRate"])
    new = {
        **state,
        "anchorServerTime": at,
        "anchorMediaTime": here,
        "sequenceNumber": command["sequenceNumber"],
    }
    kind = command["type"]
    if kind == "PLAY":
        new["isPlaying"] = True
    elif kind == "PAUSE":
        new["isPlaying"] = False
    elif kind == "SEEK":
        new["anchorMediaTime"] = command["targetMediaTime"]
    elif kind == "SET_RATE":
        new["playbackRate"] = command["rate"]
    elif kind == "SOURCE":
        new.update(
            sourceType=command["sourceType"],
            sourceId=command["sourceId"],
            anchorMediaTime=0.0,
            isPlaying=False,
            playbackRate=1.0,
        )
    return new


PLAYBACK = (
    "sourceType",
    "sourceId",
    "isPlaying",
    "playbackRate",
    "anchorServerTime",
    "anchorMediaTime",
    "sequenceNumber",
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(script=actions)
async def test_snapshot_plus_events_is_the_fresh_snapshot(stack, script) -> None:
    owner, bob, watcher = TestUser.new(), TestUser.new(), TestUser.new()
    room = await stack.create_room(owner, playbackControl="all")
    await stack.join_user(room["code"], bob)
    await stack.join_user(room["code"], watcher)
    controllers = [
        await stack.member(stack.signer.token(owner), room["code"], replica=0),
        await stack.member(stack.signer.token(bob), room["code"], replica=1),
    ]
    observer = await stack.client(stack.signer.token(watcher), replica=1)
    await observer.request("room:join", {"roomCode": room["code"]})
    state = (await observer.next("sync:state_snapshot"))["data"]["state"]

    pending = []
    for who, (kind, data), wait in script:
        rid = await controllers[who].send(kind, data)
        if wait:
            await controllers[who].answer(rid)
        else:
            pending.append((who, rid))
    for who, rid in pending:
        await controllers[who].answer(rid)
    total = len(script)
    for _ in range(total):
        command = (await observer.next("sync:command"))["data"]
        assert command["sequenceNumber"] == state["sequenceNumber"] + 1
        state = reduce(state, command)

    fresh = await stack.client(stack.signer.token(watcher), replica=0)
    await fresh.request("room:join", {"roomCode": room["code"]})
    now = (await fresh.next("sync:state_snapshot"))["data"]["state"]
    assert {k: state[k] for k in PLAYBACK} == pytest.approx({k: now[k] for k in PLAYBACK})
    await asyncio.gather(*(c.ws.close() for c in [*controllers, observer, fresh]))
