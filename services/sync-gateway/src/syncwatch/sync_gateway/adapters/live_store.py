"""Live room state in Redis db 0: playback anchor, sequence, recent-command log, idempotency keys,
presence and sync health. Every key of a room shares the hash tag ``{<roomId>}`` so a Redis
Cluster keeps a room on one shard and the Lua commit stays atomic.

Commands are ordered by one Lua script: it refuses a commit computed from a state that has since
moved (the caller re-reads and recomputes), answers a repeated idempotency key with the first
answer, and otherwise bumps the sequence, stores the new state, appends to the log and records the
idempotency key — all or nothing.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import NoScriptError

from syncwatch.core import errors
from syncwatch.protocol.v1 import PlaybackState, SyncCommand
from syncwatch.sync_gateway.domain.playback import initial_state

#: Commands kept for catch-up.
LOG_LENGTH = 256
#: How long an idempotency key answers repeats (spec §4.2.4).
IDEMPOTENCY_TTL_S = 3600
#: Live keys outlive the room's last activity by this long (rooms expire after 24 h idle).
KEY_TTL_S = 26 * 3600
#: Attempts to commit when other replicas keep moving the room under us (commits of one replica
#: are serialised per room, so only other replicas can).
COMMIT_ATTEMPTS = 20

_COMMIT = """
local idem = KEYS[3]
if idem ~= '' then
  local prior = redis.call('GET', idem)
  if prior then return {'dup', prior} end
end
local seq = tonumber(redis.call('GET', KEYS[4]) or '0')
if seq ~= tonumber(ARGV[1]) then return {'moved', tostring(seq)} end
local ttl = tonumber(ARGV[6])
redis.call('SET', KEYS[4], seq + 1, 'EX', ttl)
redis.call('SET', KEYS[1], ARGV[2], 'EX', ttl)
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
redis.call('EXPIRE', KEYS[2], ttl)
if idem ~= '' then redis.call('SET', idem, ARGV[5], 'EX', tonumber(ARGV[7])) end
return {'ok', tostring(seq + 1)}
"""


class ScriptBatcher:
    """Runs one Lua script for many callers, batching the calls made in one event-loop turn into
    one pipeline (one write and one read for all of them, instead of a connection checkout, a
    write and a read each). Each call is still atomic on its own; the batch is not a transaction.
    Under load, commits of many rooms share a round trip; alone, a call waits one loop turn."""

    def __init__(self, redis: Callable[[], aioredis.Redis], source: str) -> None:
        self._redis = redis
        self._source = source
        self._sha: str | None = None
        self._pending: list[tuple[list[str], list[object], asyncio.Future[object]]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, keys: list[str], args: list[object]) -> object:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[object] = loop.create_future()
        self._pending.append((keys, args, future))
        if len(self._pending) == 1:
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        task = asyncio.ensure_future(self._run(batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(
        self, batch: list[tuple[list[str], list[object], asyncio.Future[object]]]
    ) -> None:
        try:
            r = self._redis()
            if self._sha is None:
                self._sha = await r.script_load(self._source)
            results = await self._execute(r, batch)
            if any(isinstance(res, NoScriptError) for res in results):
                # The server lost its scripts (a restart, SCRIPT FLUSH): load it and go again.
                self._sha = await r.script_load(self._source)
                results = await self._execute(r, batch)
        except BaseException as exc:  # every caller hears about it
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
            return
        for (_, _, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def _execute(
        self,
        r: aioredis.Redis,
        batch: list[tuple[list[str], list[object], asyncio.Future[object]]],
    ) -> list[object]:
        async with r.pipeline(transaction=False) as pipe:
            for keys, args, _ in batch:
                pipe.evalsha(self._sha, len(keys), *keys, *args)  # type: ignore[arg-type]
            return list(await pipe.execute(raise_on_error=False))


class CommitAnswer(msgspec.Struct, frozen=True):
    """What a command's requester is told, stored for idempotent repeats."""

    command_id: str
    sequence_number: int


@dataclass(frozen=True)
class Committed:
    """The outcome of :meth:`LiveStore.commit`."""

    status: Literal["applied", "duplicate"]
    answer: CommitAnswer
    command: SyncCommand | None = None


class Presence(msgspec.Struct, frozen=True):
    """One open connection of a member, as every replica sees it."""

    member_id: str
    server_id: str
    seen: float


_state_decoder = msgspec.json.Decoder(PlaybackState)
_command_decoder = msgspec.json.Decoder(SyncCommand)
_answer_decoder = msgspec.json.Decoder(CommitAnswer)
_presence_decoder = msgspec.json.Decoder(Presence)
_encoder = msgspec.json.Encoder()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _key(room_id: str, what: str) -> str:
    return f"sw:live:{{{room_id}}}:{what}"


class LiveStore:
    """One room's live state, for any number of gateway replicas at once."""

    def __init__(self, redis: Callable[[], aioredis.Redis]) -> None:
        self._redis = redis
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._commit_script = ScriptBatcher(redis, _COMMIT)

    @property
    def r(self) -> aioredis.Redis:
        return self._redis()

    async def state(self, room_id: str) -> PlaybackState:
        """The room's playback state (the initial one when nothing was ever played)."""
        raw = await self.r.get(_key(room_id, "state"))
        return _state_decoder.decode(raw) if raw else initial_state(room_id)

    async def sequence(self, room_id: str) -> int:
        """The room's last sequence number (0 when none)."""
        raw = await self.r.get(_key(room_id, "seq"))
        return int(raw) if raw else 0

    async def commit(
        self,
        room_id: str,
        build: Callable[[PlaybackState, int], SyncCommand],
        *,
        expected_sequence: int | None,
        idempotency_key: str | None,
        known: PlaybackState | None = None,
    ) -> Committed:
        """Order one command: ``build(state, next_sequence)`` makes it from the current state.

        ``known`` is the state the caller last saw; when it is still current the commit needs one
        round trip (when it is not, the script says so and the state is read).

        Raises ``Conflict`` (code ``conflict``, ``currentSequence``) when ``expected_sequence`` is
        given and the room has moved past it."""
        lock = self._locks[room_id]
        try:
            async with lock:
                return await self._commit(room_id, build, expected_sequence, idempotency_key, known)
        finally:
            if not lock.locked() and not lock._waiters:  # drop idle locks
                self._locks.pop(room_id, None)

    async def _commit(
        self,
        room_id: str,
        build: Callable[[PlaybackState, int], SyncCommand],
        expected_sequence: int | None,
        idempotency_key: str | None,
        known: PlaybackState | None,
    ) -> Committed:
        idem_key = _key(room_id, f"idem:{idempotency_key}") if idempotency_key else ""
        for _ in range(COMMIT_ATTEMPTS):
            state = known if known is not None else await self.state(room_id)
            known = None
            current = state.sequence_number
            if expected_sequence is not None and expected_sequence != current:
                if idempotency_key and (prior := await self.r.get(idem_key)):
                    return Committed("duplicate", _answer_decoder.decode(prior))
                raise errors.Conflict(
                    "the room's playback changed since you last saw it; try again",
                    code="conflict",
                    extra={"currentSequence": current},
                )
            command = build(state, current + 1)
            answer = CommitAnswer(command.id, command.sequence_number)
            reply = await self._commit_script(
                [
                    _key(room_id, "state"),
                    _key(room_id, "log"),
                    idem_key,
                    _key(room_id, "seq"),
                ],
                [
                    current,
                    _encoder.encode(command.state),
                    _encoder.encode(command),
                    LOG_LENGTH,
                    _encoder.encode(answer),
                    KEY_TTL_S,
                    IDEMPOTENCY_TTL_S,
                ],
            )
            assert isinstance(reply, list)
            status, value = _text(reply[0]), reply[1]
            if status == "ok":
                return Committed("applied", answer, command)
            if status == "dup":
                return Committed("duplicate", _answer_decoder.decode(value))
            await asyncio.sleep(random.uniform(0, 0.005))  # noqa: S311 - jitter, not crypto
        raise errors.Unavailable("the room is too busy right now; try again")

    async def commands_after(self, room_id: str, after: int) -> list[SyncCommand] | None:
        """The logged commands with a sequence above ``after``, in order; None when the log no
        longer reaches back that far (the caller sends a snapshot instead)."""
        raw = await self.r.lrange(_key(room_id, "log"), 0, -1)
        commands = [_command_decoder.decode(item) for item in raw]
        latest = await self.sequence(room_id)
        if after >= latest:
            return []
        wanted = [c for c in commands if c.sequence_number > after]
        if not wanted or wanted[0].sequence_number != after + 1:
            return None
        return wanted

    # ---- presence -----------------------------------------------------------------------

    async def touch_connection(
        self, room_id: str, conn_id: str, member_id: str, server_id: str, now: float
    ) -> None:
        """Record (or refresh) one open connection of a member."""
        key = _key(room_id, "conns")
        await self.r.hset(key, conn_id, _encoder.encode(Presence(member_id, server_id, now)))
        await self.r.expire(key, KEY_TTL_S)

    async def drop_connection(self, room_id: str, conn_id: str) -> None:
        await self.r.hdel(_key(room_id, "conns"), conn_id)

    async def online_members(self, room_id: str, now: float, stale_after_s: float) -> set[str]:
        """Members with a connection refreshed within ``stale_after_s`` (a crashed replica's
        connections age out); stale entries are removed."""
        key = _key(room_id, "conns")
        entries = await self.r.hgetall(key)
        online: set[str] = set()
        stale: list[bytes | str] = []
        for conn_id, raw in entries.items():
            presence = _presence_decoder.decode(raw)
            if now - presence.seen > stale_after_s * 1000:
                stale.append(conn_id)
            else:
                online.add(presence.member_id)
        if stale:
            await self.r.hdel(key, *stale)
        return online

    async def set_health(self, room_id: str, member_id: str, payload: bytes) -> None:
        key = _key(room_id, "health")
        await self.r.hset(key, member_id, payload)
        await self.r.expire(key, KEY_TTL_S)

    async def health(self, room_id: str) -> dict[str, bytes]:
        raw = await self.r.hgetall(_key(room_id, "health"))
        return {_text(k): v if isinstance(v, bytes) else v.encode() for k, v in raw.items()}

    # ---- buffering ----------------------------------------------------------------------

    async def set_buffering(
        self, room_id: str, member_id: str, buffering: bool, now: float
    ) -> None:
        key = _key(room_id, "buffering")
        if buffering:
            await self.r.hset(key, member_id, str(now))
            await self.r.expire(key, KEY_TTL_S)
        else:
            await self.r.hdel(key, member_id)

    async def buffering(self, room_id: str) -> dict[str, float]:
        raw = await self.r.hgetall(_key(room_id, "buffering"))
        return {_text(k): float(v) for k, v in raw.items()}

    # ---- owner heartbeat and handover ---------------------------------------------------

    async def owner_heartbeat(self, room_id: str, now: float) -> None:
        await self.r.set(_key(room_id, "owner_hb"), str(now), ex=KEY_TTL_S)

    async def last_owner_heartbeat(self, room_id: str) -> float | None:
        raw = await self.r.get(_key(room_id, "owner_hb"))
        return float(raw) if raw else None

    async def claim(self, room_id: str, what: str, ttl_s: float) -> bool:
        """One replica wins the right to act (``SET NX``) for ``ttl_s``."""
        return bool(
            await self.r.set(_key(room_id, f"claim:{what}"), "1", nx=True, px=int(ttl_s * 1000))
        )

    async def release(self, room_id: str, what: str) -> None:
        await self.r.delete(_key(room_id, f"claim:{what}"))

    async def set_flag(self, room_id: str, name: str, value: str, ttl_s: float) -> None:
        await self.r.set(_key(room_id, name), value, px=int(ttl_s * 1000))

    async def flag(self, room_id: str, name: str) -> str | None:
        raw = await self.r.get(_key(room_id, name))
        return _text(raw) if raw else None

    async def clear_flag(self, room_id: str, name: str) -> None:
        await self.r.delete(_key(room_id, name))
