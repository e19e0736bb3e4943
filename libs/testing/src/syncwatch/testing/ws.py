"""Protocol clients for tests of the `/ws` socket: plain ``websockets`` clients that send frames
and wait for the ones a test wants, whatever order the others arrive in."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed


async def close_code(ws: ClientConnection, within: float = 5.0) -> int | None:
    """Read until the server closes the socket; its close code (None if it stays open)."""
    try:
        async with asyncio.timeout(within):
            async for _ in ws:
                pass
    except TimeoutError:
        return None
    except ConnectionClosed:
        pass
    return ws.close_code


class Frames:
    """A protocol client: sends frames, waits for the ones a test wants, keeps the rest."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []
        self.backlog: list[dict[str, Any]] = []
        self._next_id = 0

    async def send(
        self, type_: str, data: dict[str, Any] | None = None, *, request: bool = True
    ) -> str | None:
        rid = None
        frame: dict[str, Any] = {"type": type_, "data": data or {}}
        if request:
            self._next_id += 1
            rid = f"r{self._next_id}"
            frame["id"] = rid
        await self.ws.send(json.dumps(frame))
        return rid

    async def _first(
        self, wanted: Callable[[dict[str, Any]], bool], within: float
    ) -> dict[str, Any]:
        """The first frame not yet taken that ``wanted`` accepts; others wait in the backlog."""
        for i, frame in enumerate(self.backlog):
            if wanted(frame):
                return self.backlog.pop(i)
        async with asyncio.timeout(within):
            while True:
                got: dict[str, Any] = json.loads(await self.ws.recv())
                self.seen.append(got)
                if wanted(got):
                    return got
                self.backlog.append(got)

    async def next(self, *types: str, within: float = 5.0) -> dict[str, Any]:
        """The next frame of one of ``types`` (any type when none are given)."""
        return await self._first(lambda f: not types or f["type"] in types, within)

    async def answer(self, rid: str | None, within: float = 5.0) -> dict[str, Any]:
        """The frame answering request ``rid`` (an ack, a room:error, or a typed answer such as
        hello, time:pong or chat:history)."""
        return await self._first(lambda f: f.get("id") == rid, within)

    async def request(self, type_: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.answer(await self.send(type_, data))
