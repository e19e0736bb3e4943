"""What a chat message may hold (spec §4.4), what a system message carries, ids and page sizes.

Every check raises ``errors.InvalidRequest`` naming the field, so a refused request changes nothing
and the caller learns why.
"""

from __future__ import annotations

import enum
import re
import secrets
import unicodedata
from collections.abc import Mapping

from syncwatch.core import errors

#: Spec: a chat message is at most 2000 characters (the service's default; configurable).
MAX_CONTENT_CHARS = 2000
MAX_NAME_CHARS = 100
MAX_DATA_ENTRIES = 16
MAX_DATA_VALUE_CHARS = 500
DEFAULT_PAGE = 50
MAX_PAGE = 200

# Room and user ids become NATS subject tokens (syncwatch.live.room.<room_id>.chat).
_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# Idempotency keys chosen by callers: UUIDs, sync command ids, "room-event:<event id>".
_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_DATA_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
_POSITION = re.compile(r"^\d{1,9}(\.\d{1,6})?$")
_RATE = re.compile(r"^\d{1,2}(\.\d{1,4})?$")
_ALLOWED_CONTROLS = frozenset("\n\t")


class MessageKind(enum.StrEnum):
    """Who wrote it: a member, or the room itself."""

    USER = "user"
    SYSTEM = "system"


class SystemKind(enum.StrEnum):
    """What a system message tells (spec §4.4.1, plus removals, rate and source changes)."""

    JOIN = "join"
    LEAVE = "leave"
    KICKED = "kicked"
    BANNED = "banned"
    PLAY = "play"
    PAUSE = "pause"
    SEEK = "seek"
    RATE = "rate"
    SOURCE = "source"


#: Room events (``ROOM_EVENTS``) that become system messages, by event type.
ROOM_EVENT_KINDS: Mapping[str, SystemKind] = {
    "participant.joined": SystemKind.JOIN,
    "participant.left": SystemKind.LEAVE,
    "participant.kicked": SystemKind.KICKED,
    "participant.banned": SystemKind.BANNED,
}

#: Playback commands (``SYNC_EVENTS``, published by the sync gateway) that become system messages.
SYNC_COMMAND_KINDS: Mapping[str, SystemKind] = {
    "PLAY": SystemKind.PLAY,
    "PAUSE": SystemKind.PAUSE,
    "SEEK": SystemKind.SEEK,
    "SET_RATE": SystemKind.RATE,
    "SOURCE": SystemKind.SOURCE,
}


def playback_details(
    kind: SystemKind,
    *,
    target_media_time: float | None,
    rate: float | None,
    source_type: str | None,
) -> dict[str, str]:
    """What a playback system message says besides who: a seek's position in seconds, a rate
    change's rate, a new source's type."""
    if kind is SystemKind.SEEK and target_media_time is not None:
        return {"position": f"{target_media_time / 1000:.2f}"}
    if kind is SystemKind.RATE and rate is not None:
        return {"rate": f"{rate:g}"}
    if kind is SystemKind.SOURCE:
        return {"sourceType": source_type or ""}
    return {}


def _invalid(field: str, message: str) -> errors.InvalidRequest:
    return errors.InvalidRequest(f"{field}: {message}")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text)


def clean_content(raw: str, *, max_chars: int = MAX_CONTENT_CHARS) -> str:
    """A message's text as stored: line breaks as ``\\n``, trimmed, 1..``max_chars`` characters.

    Control characters other than newline and tab are refused (checked before trimming, so one at
    either end is refused too rather than silently dropped).
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if _has_control(text):
        raise _invalid("content", "control characters other than newline and tab are not allowed")
    text = text.strip()
    if not text:
        raise _invalid("content", "a message cannot be empty")
    if len(text) > max_chars:
        raise _invalid("content", f"a message is at most {max_chars} characters")
    return text


def check_id(value: str, field: str) -> str:
    """A room or user id: 1-128 of ``A-Z a-z 0-9 _ -``."""
    if not _ID.match(value):
        raise _invalid(field, "required: 1-128 of A-Z a-z 0-9 _ -")
    return value


def check_key(value: str, field: str) -> str:
    """An idempotency key: 1-128 of ``A-Z a-z 0-9 . _ : -``."""
    if not _KEY.match(value):
        raise _invalid(field, "required: 1-128 of A-Z a-z 0-9 . _ : -")
    return value


def clean_name(raw: str, field: str, *, required: bool) -> str:
    """A display name beside a message: trimmed, up to 100 characters, no control characters."""
    name = raw.strip()
    if _has_control(name) or "\n" in name or "\t" in name:
        raise _invalid(field, "control characters are not allowed")
    if required and not name:
        raise _invalid(field, "required")
    if len(name) > MAX_NAME_CHARS:
        raise _invalid(field, f"at most {MAX_NAME_CHARS} characters")
    return name


def clean_system(kind: str, data: Mapping[str, str]) -> tuple[SystemKind, dict[str, str]]:
    """A system message's kind and details, checked: known kind, small map, what the kind needs."""
    try:
        system_kind = SystemKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in SystemKind)
        raise _invalid("kind", f"one of {known}") from None
    if len(data) > MAX_DATA_ENTRIES:
        raise _invalid("data", f"at most {MAX_DATA_ENTRIES} entries")
    for key, value in data.items():
        if not _DATA_KEY.match(key):
            raise _invalid("data", f"key {key!r}: 1-32 of A-Z a-z 0-9 _, starting with a letter")
        if len(value) > MAX_DATA_VALUE_CHARS or _has_control(value):
            raise _invalid(
                f"data.{key}", f"at most {MAX_DATA_VALUE_CHARS} characters, no control characters"
            )
    if system_kind is SystemKind.SEEK and not _POSITION.match(data.get("position", "")):
        raise _invalid("data.position", "seek needs the position in seconds, e.g. 83.25")
    if system_kind is SystemKind.RATE and not _RATE.match(data.get("rate", "")):
        raise _invalid("data.rate", "rate needs the playback rate, e.g. 1.5")
    return system_kind, dict(data)


def page_size(limit: int) -> int:
    """How many messages a page holds: 0 means the default, above the maximum means the maximum."""
    if limit < 0:
        raise _invalid("limit", f"0-{MAX_PAGE}")
    return min(limit or DEFAULT_PAGE, MAX_PAGE)


def next_message_id(now_s: float, after: str | None = None) -> str:
    """``msg_`` + 12 hex digits of milliseconds + 16 random ones: ids sort by creation time.

    ``after`` is the room's last id: the new one sorts after it even when this clock reads earlier
    (the same millisecond, another replica's clock), so within a room ids sort in ``seq`` order.
    """
    candidate = f"msg_{int(now_s * 1000):012x}{secrets.token_hex(8)}"
    if after is None or candidate > after:
        return candidate
    ms, tail = int(after[4:16], 16), int(after[16:32], 16) + 1
    if tail == 1 << 64:
        ms, tail = ms + 1, 0
    return f"msg_{ms:012x}{tail:016x}"
