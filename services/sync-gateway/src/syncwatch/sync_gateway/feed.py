"""Per-room delivery order on one replica.

Commands are committed in one order in Redis (sequence numbers) but reach a replica over NATS from
whichever replica committed them, so two close commands can arrive swapped, and a replica that
crashed after committing never publishes at all. A :class:`Feed` delivers each sequence number
exactly once and in order: early arrivals wait (``gap_wait_s``) for the missing ones, then the gap
is filled from the Redis log; a periodic check against the room's sequence catches commands whose
publish was lost entirely.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from syncwatch.core.logs import get_logger
from syncwatch.protocol.v1 import SyncCommand

log = get_logger(__name__)

Fetch = Callable[[int], Awaitable[list[SyncCommand] | None]]
Deliver = Callable[[SyncCommand], None]
Resync = Callable[[], Awaitable[None]]


class Feed:
    """In-order, exactly-once delivery of one room's commands to this replica's members."""

    def __init__(
        self,
        *,
        delivered: int,
        fetch_after: Fetch,
        deliver: Deliver,
        resync: Resync,
        gap_wait_s: float = 0.15,
    ) -> None:
        self.delivered = delivered
        self._fetch_after = fetch_after
        self._deliver = deliver
        self._resync = resync
        self._gap_wait_s = gap_wait_s
        self._pending: dict[int, SyncCommand] = {}
        self._gap_task: asyncio.Task[None] | None = None
        self._fill_lock = asyncio.Lock()

    def offer(self, command: SyncCommand) -> None:
        """A command arrived (from NATS); deliver it and whatever it unblocks, in order."""
        seq = command.sequence_number
        if seq <= self.delivered:
            return
        self._pending[seq] = command
        self._drain()
        if self._pending and self._gap_task is None:
            self._gap_task = asyncio.create_task(self._wait_then_fill(), name="feed-gap")

    def _drain(self) -> None:
        while (nxt := self._pending.pop(self.delivered + 1, None)) is not None:
            self.delivered = nxt.sequence_number
            self._deliver(nxt)
        for seq in [s for s in self._pending if s <= self.delivered]:
            del self._pending[seq]

    async def _wait_then_fill(self) -> None:
        try:
            await asyncio.sleep(self._gap_wait_s)
            if self._pending:
                await self.fill()
        finally:
            self._gap_task = None

    async def fill(self, latest: int | None = None) -> None:
        """Read what is missing from the log (called on a gap, and periodically with the room's
        latest sequence); when the log no longer reaches back, resynchronise with a snapshot."""
        async with self._fill_lock:
            if latest is not None and latest <= self.delivered and not self._pending:
                return
            missing = await self._fetch_after(self.delivered)
            if missing is None:
                log.warning("feed fell behind the log; sending a snapshot", after=self.delivered)
                newest = max(self._pending, default=self.delivered)
                self._pending.clear()
                await self._resync()
                self.delivered = max(self.delivered, newest)
                return
            for command in missing:
                if command.sequence_number > self.delivered:
                    self._pending.setdefault(command.sequence_number, command)
            self._drain()

    def close(self) -> None:
        if self._gap_task is not None:
            self._gap_task.cancel()
