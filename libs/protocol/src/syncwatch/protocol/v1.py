"""Protocol v1 of the `/ws` WebSocket: every frame's payload as a msgspec Struct.

A frame on the wire is a JSON object ``{"type": <event>, "data": {...}, "id"?: <request id>}``
(``Envelope``). ``CLIENT_FRAMES`` and ``SERVER_FRAMES`` map each event name to the Struct of its
``data``; the browser's TypeScript types are generated from these two tables
(``python -m syncwatch.protocol.typescript``), so the shapes are written once, here.

Conventions: field names are camelCase on the wire; times are milliseconds (floats, sub-millisecond
precision kept) — ``*ServerTime`` on the server's clock, ``t0``/``t3`` on the client's own clock;
media positions are milliseconds of media time. Unknown fields are ignored (a minor version may add
fields); a frame whose ``type`` is unknown is answered ``room:error`` code ``unknown_type``.
docs/protocol.md explains the behaviour behind each frame.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

#: The version this code speaks. Peers are compatible when the major version matches.
PROTOCOL_VERSION = "1.0.0"
#: Frames larger than this are refused (close code 1009).
MAX_FRAME_BYTES = 64 * 1024


def major_of(version: str) -> int | None:
    """The major number of a ``MAJOR.MINOR.PATCH`` version, or None when it is not one."""
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def is_compatible(client_version: str) -> bool:
    """Whether a client speaking ``client_version`` can talk to this server."""
    return major_of(client_version) == major_of(PROTOCOL_VERSION)


class Payload(msgspec.Struct, rename="camel", omit_defaults=True, kw_only=True):
    """Base of every frame payload. Client payloads leave out fields at their defaults."""


class ServerPayload(Payload, omit_defaults=False):
    """Base of server payloads: every field is always present, so clients never guess defaults."""


class Envelope(msgspec.Struct, omit_defaults=True):
    """One frame. ``data`` stays raw until ``type`` picks its Struct."""

    type: str
    data: msgspec.Raw = msgspec.Raw(b"{}")
    id: str | int | None = None


Ms = Annotated[float, msgspec.Meta(ge=0)]
MediaMs = Annotated[float, msgspec.Meta(ge=0, le=1e10)]
Rate = Annotated[float, msgspec.Meta(ge=0.25, le=2.0)]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
SourceType = Literal["upload", "youtube", "external"]
RoomCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Sequence = Annotated[int, msgspec.Meta(ge=0)]

# --------------------------------------------------------------------------------------------
# Client → server
# --------------------------------------------------------------------------------------------


class ClientHello(Payload, kw_only=True):
    """First frame from the client. ``token`` is an access token or a guest token."""

    protocol_version: Annotated[str, msgspec.Meta(max_length=32)]
    client_id: Id
    capabilities: list[Annotated[str, msgspec.Meta(max_length=32)]] = []
    token: Annotated[str, msgspec.Meta(max_length=8192)] | None = None


class TimePing(Payload, kw_only=True):
    """Clock-sync probe; ``t0`` is the client's clock when sent."""

    t0: float


class RoomJoin(Payload, kw_only=True):
    """Enter a room you are a member of (join it over REST first). ``lastSequence`` and
    ``lastMessageId`` ask for what was missed since, on a reconnect."""

    room_code: RoomCode
    last_sequence: Sequence | None = None
    last_message_id: Id | None = None


class RoomLeave(Payload, kw_only=True):
    """Leave the room's live session (membership stays; leaving the room is REST)."""


class CommandOptions(Payload, kw_only=True):
    """What every playback command may carry.

    ``expectedSequence``: the last sequence number the client saw; if the room has moved on the
    command is refused with ``conflict``. ``idempotencyKey``: a repeat within an hour is answered
    with the first answer and applied once."""

    expected_sequence: Sequence | None = None
    idempotency_key: Id | None = None


class SyncSource(CommandOptions, kw_only=True):
    """Change what is playing: an uploaded video id, a YouTube video id, or an http(s) URL."""

    source_type: SourceType
    source_id: Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]


class SyncPlay(CommandOptions, kw_only=True):
    """Play from the current position."""


class SyncPause(CommandOptions, kw_only=True):
    """Pause at the current position."""


class SyncSeek(CommandOptions, kw_only=True):
    """Move to ``targetMediaTime`` (ms), keeping play/pause as it is."""

    target_media_time: MediaMs


class SyncRate(CommandOptions, kw_only=True):
    """Set the playback rate (0.25 to 2)."""

    rate: Rate


class OwnerHeartbeat(Payload, kw_only=True):
    """Sent by the owner's tab every ``ownerHeartbeatMs``; its absence makes the room OWNER_AWAY."""


class OwnerReclaim(Payload, kw_only=True):
    """Accept a ``room:offer_ownership``."""


PlayerState = Literal["playing", "paused", "buffering", "interrupted", "idle"]
CorrectionKind = Literal["none", "rate", "seek"]


class Correction(Payload, kw_only=True):
    """The last correction the client's sync engine made."""

    kind: CorrectionKind
    cause: Annotated[str, msgspec.Meta(max_length=64)] = ""
    error_ms: float = 0.0
    at_server_time: Ms = 0.0


class SyncReport(Payload, kw_only=True):
    """Sync health, every few seconds: drift = player position minus where the room says it should be."""

    drift_ms: Annotated[float, msgspec.Meta(ge=-1e7, le=1e7)]
    rtt_ms: Annotated[float, msgspec.Meta(ge=0, le=60_000)]
    clock_offset_ms: float = 0.0
    buffered_ahead_ms: Annotated[float, msgspec.Meta(ge=0)] = 0.0
    playback_rate: Annotated[float, msgspec.Meta(ge=0, le=16)] = 1.0
    state: PlayerState = "idle"
    last_correction: Correction | None = None


BufferingReason = Literal["loading", "stall", "ad", "autoplay_blocked"]


class SyncBuffering(Payload, kw_only=True):
    """This viewer cannot play right now (``buffering: true``) or can again (``false``)."""

    buffering: bool
    reason: BufferingReason = "stall"


class SyncCatchupRequest(Payload, kw_only=True):
    """Ask for the commands after ``afterSequence`` (a gap in what arrived)."""

    after_sequence: Sequence


class ChatSend(Payload, kw_only=True):
    """Say something in the room's chat (signed-in members). Answered with an ``ack`` carrying the
    stored message once it is durably stored; a resend with the same ``clientMessageId`` is answered
    with the same message and stores nothing new."""

    content: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    client_message_id: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class ChatDelete(Payload, kw_only=True):
    """Delete a message: the owner any, a member their own."""

    message_id: Id


class ChatHistoryRequest(Payload, kw_only=True):
    """Older messages, before ``beforeId`` (answered with ``chat:history`` carrying the same id)."""

    before_id: Id | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=200)] = 50


# --------------------------------------------------------------------------------------------
# Server → client
# --------------------------------------------------------------------------------------------


class Limits(ServerPayload, kw_only=True):
    """What the server enforces on this connection."""

    max_frame_bytes: int = MAX_FRAME_BYTES
    frames_per_second: float
    frame_burst: int
    idle_timeout_ms: int


class ServerHello(ServerPayload, kw_only=True):
    """First frame from the server. ``compatible`` false ⇒ the socket closes (4000) after it."""

    protocol_version: str
    server_time: float
    compatible: bool
    upgrade_required: bool
    server_id: str
    user_id: str
    owner_heartbeat_ms: int
    report_interval_ms: int
    limits: Limits


class TimePong(ServerPayload, kw_only=True):
    """``t1`` server time when the ping arrived, ``t2`` when the pong left."""

    t0: float
    t1: float
    t2: float


class ChatMessage(ServerPayload, kw_only=True):
    """One chat message as the chat service stores it (``kind`` ``user`` or ``system``). Place
    messages by ``seq`` (gapless per room); a deleted one arrives again as a tombstone
    (``deleted: true``, content cleared). ``content`` is text: render it as text, never as HTML."""

    id: str
    room_id: str
    seq: int
    kind: Literal["user", "system"]
    author_user_id: str
    author_name: str
    content: str
    system_kind: str | None
    system_data: dict[str, str]
    client_message_id: str | None
    created_at: str
    deleted: bool
    deleted_at: str | None


class Ack(ServerPayload, kw_only=True):
    """Answer to a request frame (one with an ``id``); what it carries depends on the request."""

    sequence_number: int | None = None
    duplicate: bool = False
    command_id: str | None = None
    #: For ``chat:message`` and ``chat:delete``: the stored message.
    message: ChatMessage | None = None


class ErrorData(ServerPayload, kw_only=True):
    """A refused request or a problem on the connection (``room:error``)."""

    code: str
    message: str
    retry_after: float | None = None
    current_sequence: int | None = None


class PlaybackState(ServerPayload, kw_only=True):
    """The room's playback in the anchor model (spec §4.2.2): at ``anchorServerTime`` the media
    was at ``anchorMediaTime``; while playing it advances at ``playbackRate``."""

    room_id: str
    source_type: SourceType | None = None
    source_id: str | None = None
    is_playing: bool = False
    playback_rate: float = 1.0
    anchor_server_time: float = 0.0
    anchor_media_time: float = 0.0
    sequence_number: int = 0
    protocol_version: str = PROTOCOL_VERSION


CommandType = Literal["PLAY", "PAUSE", "SEEK", "SET_RATE", "SOURCE", "STATE_SNAPSHOT"]


class SyncCommand(ServerPayload, kw_only=True):
    """One applied command, in room order. ``state`` is the room's playback state once the command
    takes effect at ``atServerTime``; clients may apply it wholesale."""

    id: str
    sequence_number: int
    at_server_time: float
    issued_by: str
    type: CommandType
    state: PlaybackState
    target_media_time: float | None = None
    rate: float | None = None
    source_type: SourceType | None = None
    source_id: str | None = None
    idempotency_key: str | None = None


class StateSnapshot(ServerPayload, kw_only=True):
    """The room's playback state now (on join, and when catch-up is not possible)."""

    state: PlaybackState
    server_time: float


class Catchup(ServerPayload, kw_only=True):
    """The commands after the client's ``lastSequence``, in order, then the state they lead to."""

    commands: list[SyncCommand]
    state: PlaybackState


RoomPhase = Literal["WAITING", "PLAYING", "PAUSED", "OWNER_AWAY"]
BufferingPolicy = Literal["wait_then_continue", "always_wait", "never_wait"]


class RoomStateData(ServerPayload, kw_only=True):
    """The room as the live session sees it (on join and on every change)."""

    room_id: str
    code: str
    name: str
    owner_id: str
    owner_member_id: str
    phase: RoomPhase
    playback_control: Literal["owner_only", "all", "selected"]
    buffering_policy: BufferingPolicy
    buffering_grace_ms: int
    you: str
    can_control: bool


class ParticipantHealth(ServerPayload, kw_only=True):
    """A member's last sync report, as everyone sees it."""

    drift_ms: float
    rtt_ms: float
    state: PlayerState
    at_server_time: float


class Participant(ServerPayload, kw_only=True):
    """One member of the room and their live presence."""

    member_id: str
    name: str
    kind: Literal["user", "guest"]
    user_id: str | None = None
    role: Literal["owner", "member"]
    can_control: bool
    online: bool
    buffering: bool = False
    health: ParticipantHealth | None = None


class Participants(ServerPayload, kw_only=True):
    """Everyone in the room, on every change."""

    participants: list[Participant]


class OwnerChanged(ServerPayload, kw_only=True):
    """Ownership moved (``reason``: ``auto_handover``, ``transferred``, ``reclaimed``, ``left``)."""

    new_owner_id: str
    new_owner_member_id: str
    previous_owner_id: str | None = None
    reason: str


class OwnerAway(ServerPayload, kw_only=True):
    """The owner stopped sending heartbeats; with handover off, playback is paused."""

    owner_id: str
    since_server_time: float
    message: str


class OfferOwnership(ServerPayload, kw_only=True):
    """You were the owner until a handover; you may take it back until ``expiresAtServerTime``."""

    current_owner_id: str
    expires_at_server_time: float


class BufferingNotice(ServerPayload, kw_only=True):
    """Who the room is waiting for, and until when (``waitUntilServerTime`` null ⇒ no deadline)."""

    waiting_for: list[str]
    names: list[str]
    policy: BufferingPolicy
    wait_until_server_time: float | None = None


class Removed(ServerPayload, kw_only=True):
    """You are out of the room (``kicked``, ``banned``, ``room_ended``, ``signed_out``); the socket
    closes after this frame."""

    reason: str
    message: str
    detail: str = ""


class ChatHistory(ServerPayload, kw_only=True):
    """A page of messages, oldest first: the latest on join, or older ones on request;
    ``hasMore``: older messages exist."""

    messages: list[ChatMessage]
    has_more: bool


class ChatCatchup(ServerPayload, kw_only=True):
    """Exactly the messages after the ``lastMessageId`` of a ``room:join``, oldest first;
    ``complete`` false when there were more than a catch-up carries (load the latest page)."""

    messages: list[ChatMessage]
    complete: bool


class ServerShutdown(ServerPayload, kw_only=True):
    """This server is going away; reconnect (to any server) in ``reconnectIn`` ms."""

    reconnect_in: int


#: Every frame a client may send, by ``type``.
CLIENT_FRAMES: dict[str, type[Payload]] = {
    "hello": ClientHello,
    "time:ping": TimePing,
    "room:join": RoomJoin,
    "room:leave": RoomLeave,
    "sync:source": SyncSource,
    "sync:play": SyncPlay,
    "sync:pause": SyncPause,
    "sync:seek": SyncSeek,
    "sync:rate": SyncRate,
    "sync:report": SyncReport,
    "sync:buffering": SyncBuffering,
    "sync:catchup_request": SyncCatchupRequest,
    "owner:heartbeat": OwnerHeartbeat,
    "owner:reclaim": OwnerReclaim,
    "chat:message": ChatSend,
    "chat:delete": ChatDelete,
    "chat:history_request": ChatHistoryRequest,
}

#: Every frame a server may send, by ``type``.
SERVER_FRAMES: dict[str, type[Payload]] = {
    "hello": ServerHello,
    "time:pong": TimePong,
    "ack": Ack,
    "room:error": ErrorData,
    "room:state": RoomStateData,
    "room:participants": Participants,
    "sync:state_snapshot": StateSnapshot,
    "sync:catchup": Catchup,
    "sync:command": SyncCommand,
    "room:owner_changed": OwnerChanged,
    "room:owner_away": OwnerAway,
    "room:offer_ownership": OfferOwnership,
    "room:buffering": BufferingNotice,
    "room:removed": Removed,
    "server:shutdown": ServerShutdown,
    "chat:message": ChatMessage,
    "chat:history": ChatHistory,
    "chat:catchup": ChatCatchup,
}

_ENVELOPE_DECODER = msgspec.json.Decoder(Envelope)
_DECODERS = {name: msgspec.json.Decoder(struct) for name, struct in CLIENT_FRAMES.items()}
_SERVER_DECODERS = {name: msgspec.json.Decoder(struct) for name, struct in SERVER_FRAMES.items()}
_ENCODER = msgspec.json.Encoder()


class FrameError(ValueError):
    """A frame that cannot be read: ``code`` is ``bad_frame``, ``unknown_type`` or ``invalid_request``."""

    def __init__(self, code: str, message: str, request_id: str | int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.request_id = request_id


def _decode(
    raw: bytes | str, decoders: dict[str, msgspec.json.Decoder[Payload]]
) -> tuple[str, Payload, str | int | None]:
    try:
        envelope = _ENVELOPE_DECODER.decode(raw)
    except msgspec.DecodeError as exc:
        raise FrameError("bad_frame", f"not a frame: {exc}") from None
    decoder = decoders.get(envelope.type)
    if decoder is None:
        raise FrameError("unknown_type", f"unknown frame type {envelope.type!r}", envelope.id)
    try:
        payload = decoder.decode(envelope.data)
    except msgspec.DecodeError as exc:
        raise FrameError("invalid_request", f"{envelope.type}: {exc}", envelope.id) from None
    return envelope.type, payload, envelope.id


def request_id_of(raw: bytes | str) -> str | int | None:
    """The ``id`` of a frame, or None (for answering a frame refused before it is read)."""
    try:
        return _ENVELOPE_DECODER.decode(raw).id
    except msgspec.DecodeError:
        return None


def decode_client_frame(raw: bytes | str) -> tuple[str, Payload, str | int | None]:
    """``(type, payload, id)`` of a client frame; raises :class:`FrameError`."""
    return _decode(raw, _DECODERS)


def decode_server_frame(raw: bytes | str) -> tuple[str, Payload, str | int | None]:
    """``(type, payload, id)`` of a server frame (test clients and benchmarks)."""
    return _decode(raw, _SERVER_DECODERS)


def encode_frame(type_: str, data: Payload, request_id: str | int | None = None) -> bytes:
    """One frame as JSON bytes."""
    body = _ENCODER.encode(data)
    head = b'{"type":' + _ENCODER.encode(type_)
    if request_id is not None:
        head += b',"id":' + _ENCODER.encode(request_id)
    return head + b',"data":' + body + b"}"
