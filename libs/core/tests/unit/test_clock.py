import pytest

from syncwatch.core.clock import ManualClock, SystemClock


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=100.0)
    assert (clock.now(), clock.monotonic()) == (100.0, 0.0)
    clock.advance(15)
    assert (clock.now(), clock.monotonic()) == (115.0, 15.0)


def test_manual_clock_refuses_to_go_back() -> None:
    with pytest.raises(ValueError, match="forward"):
        ManualClock().advance(-1)


def test_system_clock_monotonic_never_decreases() -> None:
    clock = SystemClock()
    a = clock.monotonic()
    assert clock.monotonic() >= a
    assert clock.now() > 1_600_000_000
