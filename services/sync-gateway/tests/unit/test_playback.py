"""The anchor model: positions and what each command does to the state."""

from __future__ import annotations

import pytest

from syncwatch.protocol.v1 import PlaybackState
from syncwatch.sync_gateway.domain.playback import (
    Intent,
    apply,
    initial_state,
    lead_time_ms,
    position_at,
)


def playing(at: float = 1000.0, media: float = 5000.0, rate: float = 1.0) -> PlaybackState:
    return PlaybackState(
        room_id="rm_1",
        source_type="external",
        source_id="https://example.test/a.mp4",
        is_playing=True,
        playback_rate=rate,
        anchor_server_time=at,
        anchor_media_time=media,
        sequence_number=3,
    )


def test_position_advances_only_while_playing() -> None:
    state = playing(rate=1.5)
    assert position_at(state, 3000.0) == pytest.approx(5000.0 + 2000.0 * 1.5)
    paused = PlaybackState(room_id="rm_1", anchor_server_time=0.0, anchor_media_time=42.0)
    assert position_at(paused, 1e9) == 42.0


def test_position_is_never_negative() -> None:
    assert position_at(playing(at=10_000.0, media=100.0), 0.0) == 0.0


def test_pause_anchors_where_the_media_is_at_the_command_time() -> None:
    cmd = apply(playing(), Intent("PAUSE", "u_1"), at=2000.0, sequence=4)
    assert cmd.type == "PAUSE"
    assert cmd.sequence_number == 4 == cmd.state.sequence_number
    assert not cmd.state.is_playing
    assert cmd.state.anchor_media_time == pytest.approx(6000.0)
    assert cmd.state.anchor_server_time == 2000.0
    assert position_at(cmd.state, 99_999.0) == pytest.approx(6000.0)


def test_play_resumes_from_the_paused_position() -> None:
    paused = apply(playing(), Intent("PAUSE", "u_1"), at=2000.0, sequence=4).state
    cmd = apply(paused, Intent("PLAY", "u_2"), at=9000.0, sequence=5)
    assert cmd.state.is_playing
    assert position_at(cmd.state, 10_000.0) == pytest.approx(7000.0)
    assert cmd.issued_by == "u_2"


def test_seek_keeps_play_state_and_rate_changes_the_slope() -> None:
    seek = apply(playing(), Intent("SEEK", "u_1", target_media_time=60_000.0), 2000.0, 4)
    assert seek.state.is_playing
    assert position_at(seek.state, 3000.0) == pytest.approx(61_000.0)
    assert seek.target_media_time == 60_000.0
    fast = apply(seek.state, Intent("SET_RATE", "u_1", rate=2.0), 3000.0, 5)
    assert position_at(fast.state, 4000.0) == pytest.approx(63_000.0)


def test_source_resets_to_the_start_paused() -> None:
    cmd = apply(
        playing(),
        Intent("SOURCE", "u_1", source_type="youtube", source_id="dQw4w9WgXcQ"),
        2000.0,
        4,
    )
    assert cmd.state.source_type == "youtube"
    assert cmd.state.source_id == "dQw4w9WgXcQ"
    assert not cmd.state.is_playing
    assert cmd.state.anchor_media_time == 0.0
    assert cmd.state.playback_rate == 1.0


def test_initial_state_is_idle() -> None:
    state = initial_state("rm_9")
    assert state.room_id == "rm_9"
    assert state.sequence_number == 0
    assert state.source_id is None


def test_lead_time_covers_the_slowest_member_within_bounds() -> None:
    assert lead_time_ms([]) == 400.0
    assert lead_time_ms([2.0, 4.0]) == 120.0
    assert lead_time_ms([20.0, 500.0]) == pytest.approx(250.0 * 1.5 + 60.0)
    assert lead_time_ms([60_000.0]) == 1500.0
