"""Room rules, pure: invite codes, settings validation, who may do what, who owns next.

No I/O here; the adapters and the application layer call these and turn ``SettingsError`` into a
400 with ``errors: [{field, message}]``.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

#: Upper-case letters and digits without the look-alikes 0/O and 1/I (32 symbols, 5 bits each).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: Attempts at a fresh code before giving up (32^8 ≈ 10^12 codes: a collision is already rare).
CODE_ATTEMPTS = 8

MIN_PARTICIPANTS = 2
MAX_PARTICIPANTS = 5
NAME_MAX = 60
PASSWORD_MIN = 4
PASSWORD_MAX = 128
GUEST_NAME_MAX = 32
BUFFERING_GRACE_MIN_S = 1
BUFFERING_GRACE_MAX_S = 120
BUFFERING_GRACE_DEFAULT_S = 10
#: A room lives this long after its last join or settings change.
ROOM_TTL_S = 24 * 3600

_CODE_SET = frozenset(CODE_ALPHABET)


class PlaybackControl(enum.StrEnum):
    """Who may play, pause, seek and change the source (spec §4.1.1)."""

    OWNER_ONLY = "owner_only"
    ALL = "all"
    SELECTED = "selected"


class HandoverOrder(enum.StrEnum):
    """Who becomes owner when the owner leaves (spec §4.1.3)."""

    JOIN_ORDER = "join_order"
    EXPLICIT_DELEGATE = "explicit_delegate"


class BufferingPolicy(enum.StrEnum):
    """What playback does while a member's player is buffering (the sync gateway enforces it)."""

    #: Pause while a member buffers; go on without them once the grace has passed.
    WAIT_THEN_CONTINUE = "wait_then_continue"
    #: Pause until everyone can play.
    ALWAYS_WAIT = "always_wait"
    #: Never pause for anyone; a buffering member catches up.
    NEVER_WAIT = "never_wait"


class Role(enum.StrEnum):
    """A member's role in a room."""

    OWNER = "owner"
    MEMBER = "member"


class Action(enum.StrEnum):
    """What CheckPermission is asked about."""

    PLAY = "play"
    SEEK = "seek"
    CHANGE_SOURCE = "change_source"
    MODERATE = "moderate"


PLAYBACK_ACTIONS = frozenset({Action.PLAY, Action.SEEK, Action.CHANGE_SOURCE})


class RoomGone(enum.StrEnum):
    """Why a code answers 404: the contract's three codes (docs/api/rooms.md, "Gone rooms")."""

    NOT_FOUND = "room_not_found"
    EXPIRED = "room_expired"
    ENDED = "room_ended"


#: The finer 400 code when the only way to honour a new seat limit would be to drop people.
BELOW_SEATS_TAKEN = "below_seats_taken"


@dataclass(frozen=True)
class FieldError:
    """One field's problem, as the contract's ``errors`` items; ``code`` when the contract names one."""

    field: str
    message: str
    code: str | None = None


class SettingsError(ValueError):
    """Room settings that break a rule; ``errors`` names each field."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


def new_invite_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh 8-character invite code from the CSPRNG over ``CODE_ALPHABET``."""
    return "".join(CODE_ALPHABET[randbelow(len(CODE_ALPHABET))] for _ in range(CODE_LENGTH))


def unique_invite_code(
    taken: Callable[[str], bool], *, randbelow: Callable[[int], int] = secrets.randbelow
) -> str:
    """A code for which ``taken`` is False, trying at most ``CODE_ATTEMPTS`` times.

    The database's unique constraint stays the final word; this only avoids the usual collision.
    """
    for _ in range(CODE_ATTEMPTS):
        code = new_invite_code(randbelow)
        if not taken(code):
            return code
    raise RuntimeError("no free invite code after several attempts")


def normalize_code(raw: str) -> str | None:
    """The canonical code for what someone typed or pasted (any case, spaces), or None if invalid.

    A pasted invite link (``…/r/K7QX2MPA``) gives its code too.
    """
    text = raw.strip().rstrip("/")
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    code = text.upper()
    if len(code) != CODE_LENGTH or not set(code) <= _CODE_SET:
        return None
    return code


@dataclass(frozen=True)
class Handover:
    """Ownership handover settings."""

    enabled: bool = True
    order: HandoverOrder = HandoverOrder.JOIN_ORDER


@dataclass(frozen=True)
class Buffering:
    """What playback does while a member buffers, and how long ``wait_then_continue`` waits."""

    policy: BufferingPolicy = BufferingPolicy.WAIT_THEN_CONTINUE
    grace_s: int = BUFFERING_GRACE_DEFAULT_S


@dataclass(frozen=True)
class RoomSettings:
    """The settings an owner chooses, validated (the password still in clear, for hashing)."""

    name: str
    max_participants: int
    playback_control: PlaybackControl
    handover: Handover = field(default_factory=Handover)
    buffering: Buffering = field(default_factory=Buffering)


def default_room_name(owner_username: str) -> str:
    """The name of a room created without one."""
    return f"{owner_username}'s room"[:NAME_MAX]


def _name_problem(name: str) -> str | None:
    if not name:
        return "enter a name"
    if len(name) > NAME_MAX:
        return f"use at most {NAME_MAX} characters"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return "control characters are not allowed"
    return None


def password_problem(password: str) -> str | None:
    """Why a room password is not acceptable, or None."""
    if len(password) < PASSWORD_MIN:
        return f"use at least {PASSWORD_MIN} characters"
    if len(password) > PASSWORD_MAX:
        return f"use at most {PASSWORD_MAX} characters"
    return None


def guest_name_problem(name: str) -> str | None:
    """Why a guest name (already trimmed) is not acceptable, or None."""
    if not name:
        return "enter a name"
    if len(name) > GUEST_NAME_MAX:
        return f"use at most {GUEST_NAME_MAX} characters"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return "control characters are not allowed"
    return None


def validate_settings(
    *,
    name: str | None,
    owner_username: str,
    max_participants: int,
    playback_control: str,
    password: str | None,
    handover_enabled: bool = True,
    handover_order: str = HandoverOrder.JOIN_ORDER,
    buffering_policy: str = BufferingPolicy.WAIT_THEN_CONTINUE,
    buffering_grace_s: int = BUFFERING_GRACE_DEFAULT_S,
    seats_taken: int = 0,
) -> RoomSettings:
    """Validated settings, or ``SettingsError`` listing every broken rule.

    ``seats_taken`` is the current number of members (for a change): the limit may not go below it.
    """
    problems: list[FieldError] = []
    clean_name = default_room_name(owner_username) if name is None else name.strip()
    if problem := _name_problem(clean_name):
        problems.append(FieldError("name", problem))
    if not MIN_PARTICIPANTS <= max_participants <= MAX_PARTICIPANTS:
        problems.append(
            FieldError(
                "maxParticipants", f"choose {MIN_PARTICIPANTS} to {MAX_PARTICIPANTS} participants"
            )
        )
    elif max_participants < seats_taken:
        problems.append(
            FieldError(
                "maxParticipants",
                f"{seats_taken} people are in the room; the limit cannot go below that",
                BELOW_SEATS_TAKEN,
            )
        )
    try:
        control = PlaybackControl(playback_control)
    except ValueError:
        problems.append(FieldError("playbackControl", "choose one of owner_only, all, selected"))
        control = PlaybackControl.OWNER_ONLY
    try:
        order = HandoverOrder(handover_order)
    except ValueError:
        problems.append(FieldError("handover.order", "choose one of join_order, explicit_delegate"))
        order = HandoverOrder.JOIN_ORDER
    try:
        policy = BufferingPolicy(buffering_policy)
    except ValueError:
        problems.append(
            FieldError(
                "buffering.policy", "choose one of wait_then_continue, always_wait, never_wait"
            )
        )
        policy = BufferingPolicy.WAIT_THEN_CONTINUE
    if not BUFFERING_GRACE_MIN_S <= buffering_grace_s <= BUFFERING_GRACE_MAX_S:
        problems.append(
            FieldError(
                "buffering.graceSeconds",
                f"choose {BUFFERING_GRACE_MIN_S} to {BUFFERING_GRACE_MAX_S} seconds",
            )
        )
    if password is not None and (problem := password_problem(password)):
        problems.append(FieldError("password", problem))
    if problems:
        raise SettingsError(problems)
    return RoomSettings(
        name=clean_name,
        max_participants=max_participants,
        playback_control=control,
        handover=Handover(enabled=handover_enabled, order=order),
        buffering=Buffering(policy=policy, grace_s=buffering_grace_s),
    )


def gone_reason(
    *, deleted_at: dt.datetime | None, expires_at: dt.datetime, now: dt.datetime
) -> RoomGone | None:
    """Why a stored room no longer answers (``EXPIRED`` or ``ENDED``), or None while it is live.

    A room marked deleted after it had already run out of time (the janitor's sweep) counts as
    expired: that is what its members saw first.
    """
    if deleted_at is not None:
        return RoomGone.EXPIRED if expires_at <= deleted_at else RoomGone.ENDED
    if expires_at <= now:
        return RoomGone.EXPIRED
    return None


def may(action: Action, *, role: Role, control: PlaybackControl, granted: bool) -> bool:
    """Whether a member with ``role`` (and a control grant or not) may do ``action``."""
    if role is Role.OWNER:
        return True
    if action is Action.MODERATE:
        return False
    if control is PlaybackControl.ALL:
        return True
    if control is PlaybackControl.SELECTED:
        return granted
    return False


@dataclass(frozen=True)
class Candidate:
    """An active member who might become owner: signed-in users only, in join order."""

    member_id: str
    is_user: bool


def next_owner(
    candidates: Iterable[Candidate],
    *,
    handover: Handover,
    delegate_member_id: str | None,
) -> str | None:
    """The member who owns the room after the owner leaves, or None (the room then ends).

    ``candidates`` are the other active members in join order. Guests never own a room. With
    handover disabled nobody inherits; with an explicit delegate still present, the delegate does,
    otherwise the longest-present signed-in member.
    """
    if not handover.enabled:
        return None
    users = [c for c in candidates if c.is_user]
    if not users:
        return None
    if handover.order is HandoverOrder.EXPLICIT_DELEGATE and delegate_member_id:
        for c in users:
            if c.member_id == delegate_member_id:
                return c.member_id
    return users[0].member_id


def new_id(prefix: str) -> str:
    """A random id like ``rm_5f0c…`` (96 bits), safe in URLs and NATS subjects."""
    return f"{prefix}_{secrets.token_hex(12)}"
