import pytest

from syncwatch.core.bus import STREAMS, Stream, event_subject, live_subject, parked_subject


def test_subjects_follow_design() -> None:
    assert live_subject("r1", "sync") == "syncwatch.live.room.r1.sync"
    assert (
        event_subject("room", "r1", "participant.joined")
        == "syncwatch.evt.room.r1.participant.joined"
    )
    assert parked_subject("ROOM_EVENTS", "media-janitor-room-closed") == (
        "syncwatch.parked.ROOM_EVENTS.media-janitor-room-closed"
    )


@pytest.mark.parametrize("bad", ["", "a.b", "a*", ">", "a b", "x" * 129])
def test_tokens_that_would_change_routing_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="subject token"):
        live_subject(bad, "sync")


def test_event_names_are_checked() -> None:
    with pytest.raises(ValueError, match="event name"):
        event_subject("room", "r1", "Joined!")


def test_every_stream_owns_its_subject_space() -> None:
    assert set(STREAMS) == set(Stream)
    assert STREAMS[Stream.TRANSCODE_JOBS].subjects == ("syncwatch.job.transcode",)
    assert all(
        subject.startswith("syncwatch.") for spec in STREAMS.values() for subject in spec.subjects
    )
