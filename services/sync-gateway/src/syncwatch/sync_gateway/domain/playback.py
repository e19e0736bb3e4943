"""The anchor model of spec §4.2.2: where the media is at any server time, and what each command does.

A room's playback is a :class:`PlaybackState`: at ``anchor_server_time`` (ms, server clock) the media
was at ``anchor_media_time`` (ms); while playing it advances ``playback_rate`` ms per ms. A command
takes effect at its ``at_server_time`` and yields a new anchor there, so any client, however late
the command reaches it, computes the same position for the same server time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

import msgspec

from syncwatch.protocol.v1 import PlaybackState, SourceType, SyncCommand

CommandKind = Literal["PLAY", "PAUSE", "SEEK", "SET_RATE", "SOURCE"]


def position_at(state: PlaybackState, server_time: float) -> float:
    """Media position (ms) at ``server_time``; never negative."""
    if not state.is_playing:
        return state.anchor_media_time
    elapsed = server_time - state.anchor_server_time
    return max(0.0, state.anchor_media_time + elapsed * state.playback_rate)


@dataclass(frozen=True)
class Intent:
    """A validated request to change playback, before the room orders it."""

    kind: CommandKind
    issued_by: str
    target_media_time: float | None = None
    rate: float | None = None
    source_type: SourceType | None = None
    source_id: str | None = None
    idempotency_key: str | None = None


def apply(state: PlaybackState, intent: Intent, at: float, sequence: int) -> SyncCommand:
    """The command ``intent`` becomes as the room's ``sequence``-th, effective at ``at`` (ms)."""
    here = position_at(state, at)
    changes: dict[str, object] = {
        "anchor_server_time": at,
        "anchor_media_time": here,
        "sequence_number": sequence,
    }
    if intent.kind == "PLAY":
        changes["is_playing"] = True
    elif intent.kind == "PAUSE":
        changes["is_playing"] = False
    elif intent.kind == "SEEK":
        assert intent.target_media_time is not None
        changes["anchor_media_time"] = intent.target_media_time
    elif intent.kind == "SET_RATE":
        assert intent.rate is not None
        changes["playback_rate"] = intent.rate
    elif intent.kind == "SOURCE":
        assert intent.source_type is not None
        assert intent.source_id is not None
        changes.update(
            source_type=intent.source_type,
            source_id=intent.source_id,
            anchor_media_time=0.0,
            is_playing=False,
            playback_rate=1.0,
        )
    new_state = msgspec.structs.replace(state, **changes)
    return SyncCommand(
        id=f"c_{uuid.uuid4().hex}",
        sequence_number=sequence,
        at_server_time=at,
        issued_by=intent.issued_by,
        type=intent.kind,
        state=new_state,
        target_media_time=intent.target_media_time,
        rate=intent.rate,
        source_type=intent.source_type,
        source_id=intent.source_id,
        idempotency_key=intent.idempotency_key,
    )


def initial_state(room_id: str) -> PlaybackState:
    """A room nobody has played anything in yet."""
    return PlaybackState(room_id=room_id)


def lead_time_ms(rtts_ms: list[float], *, floor: float = 120.0, ceiling: float = 1500.0) -> float:
    """How far in the future to schedule a command so every member has it before it is due.

    The slowest member's one-way delay (half its RTT) with half again as margin for jitter, plus
    time to process; bounded so a terrible link cannot stall everyone for long (it then applies
    the command late, from the anchor, exactly)."""
    if not rtts_ms:
        return 400.0
    slowest = max(rtts_ms) / 2
    return min(ceiling, max(floor, slowest * 1.5 + 60.0))
