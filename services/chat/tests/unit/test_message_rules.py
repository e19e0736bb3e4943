"""Pure chat rules: content, names, ids and keys, system messages, page sizes, message ids."""

from __future__ import annotations

import pytest

from syncwatch.chat.domain.messages import (
    DEFAULT_PAGE,
    MAX_CONTENT_CHARS,
    MAX_PAGE,
    ROOM_EVENT_KINDS,
    SystemKind,
    check_id,
    check_key,
    clean_content,
    clean_name,
    clean_system,
    next_message_id,
    page_size,
)
from syncwatch.core import errors


def test_content_is_trimmed_and_keeps_newlines_and_tabs() -> None:
    assert clean_content("  hi  ") == "hi"
    assert clean_content("\n line one\n\tline two \n") == "line one\n\tline two"
    assert clean_content("a\r\nb\rc") == "a\nb\nc"
    assert clean_content("émoji 👍 ok") == "émoji 👍 ok"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t \n", "\r\n"])
def test_empty_content_is_refused(raw: str) -> None:
    with pytest.raises(errors.InvalidRequest, match="empty"):
        clean_content(raw)


@pytest.mark.parametrize(
    "raw", ["a\x00b", "bell\x07", "\x1b[31mred", "x\x7f", "\x1fhidden", "v\x0bt"]
)
def test_control_characters_are_refused(raw: str) -> None:
    with pytest.raises(errors.InvalidRequest, match="control"):
        clean_content(raw)


def test_length_is_counted_in_characters_after_trimming() -> None:
    assert len(clean_content("é" * MAX_CONTENT_CHARS)) == MAX_CONTENT_CHARS
    assert clean_content(" " * 10 + "x" * MAX_CONTENT_CHARS + " " * 10) == "x" * MAX_CONTENT_CHARS
    with pytest.raises(errors.InvalidRequest, match="at most 2000"):
        clean_content("x" * (MAX_CONTENT_CHARS + 1))
    assert clean_content("abc", max_chars=3) == "abc"
    with pytest.raises(errors.InvalidRequest, match="at most 3"):
        clean_content("abcd", max_chars=3)


def test_names() -> None:
    assert clean_name("  Kim ", "author_name", required=True) == "Kim"
    assert clean_name("", "actor_name", required=False) == ""
    for bad in ("", "   "):
        with pytest.raises(errors.InvalidRequest, match="author_name"):
            clean_name(bad, "author_name", required=True)
    for bad in ("a\nb", "a\tb", "a\x00"):
        with pytest.raises(errors.InvalidRequest, match="control"):
            clean_name(bad, "author_name", required=True)
    with pytest.raises(errors.InvalidRequest, match="at most 100"):
        clean_name("x" * 101, "author_name", required=True)


def test_ids_and_keys() -> None:
    assert check_id("rm_abc-1", "room_id") == "rm_abc-1"
    assert check_key("room-event:rm_1.participant.joined.m_1.1700000000000", "k")
    assert check_key(
        "0f8fad5b-d9cb-469f-a165-70867728950e", "client_message_id"
    )  # a UUID from a browser
    for bad in ("", "a.b", "a b", "x" * 129, "rm_*", "rm_>"):
        with pytest.raises(errors.InvalidRequest, match="room_id"):
            check_id(bad, "room_id")
    for bad in ("", "a b", "x" * 129, "é"):
        with pytest.raises(errors.InvalidRequest, match="client_message_id"):
            check_key(bad, "client_message_id")


def test_system_messages() -> None:
    assert clean_system("join", {"memberId": "m_1"}) == (SystemKind.JOIN, {"memberId": "m_1"})
    assert clean_system("seek", {"position": "83.25"})[0] is SystemKind.SEEK
    assert clean_system("seek", {"position": "0"})[0] is SystemKind.SEEK
    assert clean_system("rate", {"rate": "1.5"})[0] is SystemKind.RATE
    assert clean_system("play", {})[0] is SystemKind.PLAY
    with pytest.raises(errors.InvalidRequest, match="kind: one of join"):
        clean_system("dance", {})
    for position in ("", "-1", "1e3", "nan", " 5", "1.1234567"):
        with pytest.raises(errors.InvalidRequest, match="position"):
            clean_system("seek", {"position": position})
    with pytest.raises(errors.InvalidRequest, match="rate"):
        clean_system("rate", {})
    with pytest.raises(errors.InvalidRequest, match="at most 16"):
        clean_system("play", {f"k{i}": "v" for i in range(17)})
    for key in ("1a", "", "a-b", "a" * 33):
        with pytest.raises(errors.InvalidRequest, match="key"):
            clean_system("play", {key: "v"})
    with pytest.raises(errors.InvalidRequest, match=r"data\.title"):
        clean_system("source", {"title": "x" * 501})
    with pytest.raises(errors.InvalidRequest, match=r"data\.title"):
        clean_system("source", {"title": "a\x00"})


def test_room_events_that_become_messages() -> None:
    assert ROOM_EVENT_KINDS == {
        "participant.joined": SystemKind.JOIN,
        "participant.left": SystemKind.LEAVE,
        "participant.kicked": SystemKind.KICKED,
        "participant.banned": SystemKind.BANNED,
    }


def test_page_size() -> None:
    assert page_size(0) == DEFAULT_PAGE == 50
    assert page_size(1) == 1
    assert page_size(MAX_PAGE) == MAX_PAGE == 200
    assert page_size(10_000) == MAX_PAGE
    with pytest.raises(errors.InvalidRequest, match="limit"):
        page_size(-1)


def test_message_ids_sort_by_creation_time() -> None:
    times = [1_700_000_000.0, 1_700_000_000.001, 1_700_000_001.5, 2_000_000_000.0]
    ids = [next_message_id(t) for t in times]
    assert ids == sorted(ids)
    assert len({next_message_id(times[0]) for _ in range(100)}) == 100
    assert all(i.startswith("msg_") and len(i) == 4 + 12 + 16 for i in ids)


def test_a_rooms_next_id_sorts_after_its_last_even_when_the_clock_disagrees() -> None:
    last = next_message_id(1_700_000_000.0)
    same_ms = [next_message_id(1_700_000_000.0, after=last) for _ in range(50)]
    assert all(i > last for i in same_ms)
    behind = next_message_id(1_699_999_000.0, after=last)  # a replica whose clock is behind
    assert behind > last
    assert behind[4:16] == last[4:16]
    assert next_message_id(1_700_000_005.0, after=last)[4:16] > last[4:16]
    chain = [last]
    for _ in range(20):
        chain.append(next_message_id(1_700_000_000.0, after=chain[-1]))
    assert chain == sorted(chain)
    assert len(set(chain)) == len(chain)
    full = "msg_" + f"{1:012x}" + "f" * 16  # the random part cannot grow: the millisecond does
    assert next_message_id(0.0, after=full) == "msg_" + f"{2:012x}" + "0" * 16
