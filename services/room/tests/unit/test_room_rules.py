"""Pure room rules: invite codes, settings validation, permissions, ownership handover."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

import pytest

from syncwatch.room.domain.rooms import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Action,
    Buffering,
    BufferingPolicy,
    Candidate,
    Handover,
    HandoverOrder,
    PlaybackControl,
    Role,
    RoomGone,
    SettingsError,
    gone_reason,
    guest_name_problem,
    may,
    new_invite_code,
    next_owner,
    normalize_code,
    unique_invite_code,
    validate_settings,
)


def test_alphabet_has_no_lookalikes() -> None:
    assert len(CODE_ALPHABET) == 32 == len(set(CODE_ALPHABET))
    assert not set("0O1I") & set(CODE_ALPHABET)


def test_codes_are_eight_characters_of_the_alphabet_and_spread() -> None:
    codes = [new_invite_code() for _ in range(2000)]
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert len(set(codes)) == len(codes)
    # Every symbol shows up (2000 x 8 draws over 32 symbols).
    assert set("".join(codes)) == set(CODE_ALPHABET)


def test_codes_come_from_the_csprng_by_default() -> None:
    assert new_invite_code.__defaults__ == (secrets.randbelow,)


def test_unique_code_retries_on_collision() -> None:
    draws = itertools.cycle([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    taken = {"AAAAAAAA"}
    code = unique_invite_code(lambda c: c in taken, randbelow=lambda _n: next(draws))
    assert code == "BBBBBBBB"


def test_unique_code_gives_up_after_a_few_attempts() -> None:
    with pytest.raises(RuntimeError):
        unique_invite_code(lambda _c: True)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("K7QX2MPA", "K7QX2MPA"),
        (" k7qx2mpa ", "K7QX2MPA"),
        ("https://watch.example/r/K7QX2MPA", "K7QX2MPA"),
        ("/r/k7qx2mpa/", "K7QX2MPA"),
        ("K7QX2MP", None),
        ("K7QX2MPAA", None),
        ("K7QX2MP0", None),  # zero is not in the alphabet
        ("K7QX2MPI", None),
        ("", None),
    ],
)
def test_normalize_code(raw: str, code: str | None) -> None:
    assert normalize_code(raw) == code


def _settings(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "Friday film",
        "owner_username": "ann",
        "max_participants": 5,
        "playback_control": "owner_only",
        "password": None,
    }
    base.update(overrides)
    return base


def test_valid_settings() -> None:
    s = validate_settings(**_settings(name="  Friday film  ", password="hunter22"))  # type: ignore[arg-type]
    assert s.name == "Friday film"
    assert s.max_participants == 5
    assert s.playback_control is PlaybackControl.OWNER_ONLY
    assert s.handover == Handover(enabled=True, order=HandoverOrder.JOIN_ORDER)
    assert s.buffering == Buffering(policy=BufferingPolicy.WAIT_THEN_CONTINUE, grace_s=10)


@pytest.mark.parametrize("policy", list(BufferingPolicy))
@pytest.mark.parametrize("grace_s", [1, 120])
def test_every_buffering_policy_and_the_grace_bounds(policy: BufferingPolicy, grace_s: int) -> None:
    s = validate_settings(**_settings(buffering_policy=policy.value, buffering_grace_s=grace_s))  # type: ignore[arg-type]
    assert s.buffering == Buffering(policy=policy, grace_s=grace_s)


def test_default_name() -> None:
    assert validate_settings(**_settings(name=None)).name == "ann's room"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"max_participants": 1}, "maxParticipants"),
        ({"max_participants": 6}, "maxParticipants"),
        ({"max_participants": 3, "seats_taken": 4}, "maxParticipants"),
        ({"playback_control": "anyone"}, "playbackControl"),
        ({"handover_order": "random"}, "handover.order"),
        ({"buffering_policy": "sometimes"}, "buffering.policy"),
        ({"buffering_grace_s": 0}, "buffering.graceSeconds"),
        ({"buffering_grace_s": 121}, "buffering.graceSeconds"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"name": "bad\x00name"}, "name"),
        ({"password": "abc"}, "password"),
        ({"password": "x" * 129}, "password"),
    ],
)
def test_bad_settings_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(SettingsError) as caught:
        validate_settings(**_settings(**overrides))  # type: ignore[arg-type]
    assert [e.field for e in caught.value.errors] == [field]


def test_every_broken_rule_is_reported() -> None:
    with pytest.raises(SettingsError) as caught:
        validate_settings(**_settings(max_participants=9, playback_control="x", password="a"))  # type: ignore[arg-type]
    assert {e.field for e in caught.value.errors} == {
        "maxParticipants",
        "playbackControl",
        "password",
    }


@pytest.mark.parametrize(
    ("name", "ok"), [("Kim", True), ("", False), ("x" * 33, False), ("a\nb", False)]
)
def test_guest_names(name: str, ok: bool) -> None:
    assert (guest_name_problem(name) is None) is ok


@pytest.mark.parametrize(
    ("control", "granted", "playback", "moderate"),
    [
        (PlaybackControl.OWNER_ONLY, False, False, False),
        (PlaybackControl.OWNER_ONLY, True, False, False),
        (PlaybackControl.ALL, False, True, False),
        (PlaybackControl.SELECTED, False, False, False),
        (PlaybackControl.SELECTED, True, True, False),
    ],
)
def test_member_permissions(
    control: PlaybackControl, granted: bool, playback: bool, moderate: bool
) -> None:
    for action in (Action.PLAY, Action.SEEK, Action.CHANGE_SOURCE):
        assert may(action, role=Role.MEMBER, control=control, granted=granted) is playback
    assert may(Action.MODERATE, role=Role.MEMBER, control=control, granted=granted) is moderate


def test_owner_may_do_everything() -> None:
    for action in Action:
        for control in PlaybackControl:
            assert may(action, role=Role.OWNER, control=control, granted=False)


def test_next_owner_is_the_longest_present_user_never_a_guest() -> None:
    members = [Candidate("m_guest", is_user=False), Candidate("m_b", True), Candidate("m_c", True)]
    assert next_owner(members, handover=Handover(), delegate_member_id=None) == "m_b"
    assert next_owner(members[:1], handover=Handover(), delegate_member_id=None) is None
    assert next_owner(members, handover=Handover(enabled=False), delegate_member_id=None) is None


def test_next_owner_prefers_a_present_delegate() -> None:
    members = [Candidate("m_b", True), Candidate("m_c", True)]
    explicit = Handover(order=HandoverOrder.EXPLICIT_DELEGATE)
    assert next_owner(members, handover=explicit, delegate_member_id="m_c") == "m_c"
    assert next_owner(members, handover=explicit, delegate_member_id="m_gone") == "m_b"


def test_below_the_seats_taken_has_its_own_code() -> None:
    with pytest.raises(SettingsError) as exc:
        validate_settings(
            name="x",
            owner_username="ann",
            max_participants=3,
            playback_control="all",
            password=None,
            seats_taken=4,
        )
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("maxParticipants", "below_seats_taken")
    ]


NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("deleted_at", "expires_at", "reason"),
    [
        (None, NOW + HOUR, None),
        (None, NOW, RoomGone.EXPIRED),
        (None, NOW - HOUR, RoomGone.EXPIRED),
        (NOW - HOUR, NOW + HOUR, RoomGone.ENDED),
        # Swept away after it had run out of time: it expired, as its members saw.
        (NOW, NOW - HOUR, RoomGone.EXPIRED),
    ],
)
def test_why_a_room_is_gone(
    deleted_at: dt.datetime | None, expires_at: dt.datetime, reason: RoomGone | None
) -> None:
    assert gone_reason(deleted_at=deleted_at, expires_at=expires_at, now=NOW) is reason
