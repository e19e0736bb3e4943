"""An injectable clock, so expiry, lockout, heartbeats and grace periods are tested without sleeping."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Where a service reads time. Production code never calls ``time`` directly."""

    def now(self) -> float:
        """Wall-clock time, seconds since the Unix epoch (UTC)."""
        ...

    def monotonic(self) -> float:
        """A clock that never goes backwards, for durations and timeouts."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        """Wall-clock time from the operating system."""
        return time.time()

    def monotonic(self) -> float:
        """Monotonic time from the operating system."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to. Both readings advance together."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._mono = 0.0

    def now(self) -> float:
        """The current pretend wall-clock time."""
        return self._now

    def monotonic(self) -> float:
        """The current pretend monotonic time."""
        return self._mono

    def advance(self, seconds: float) -> None:
        """Move time forward; moving it backwards is refused because real clocks never do for us."""
        if seconds < 0:
            raise ValueError("a ManualClock only moves forward")
        self._now += seconds
        self._mono += seconds
