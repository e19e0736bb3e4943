"""Gateway fan-out benchmark: protocol clients in rooms of five against one gateway process, next
to a bare ``websockets`` broadcast server measured the same way in the same run.

    make bench-gateway                      # defaults: 300 rooms (1,500 sockets), 20 commands each
    python loadtests/bench_gateway.py --rooms 600 --commands 30

It starts the whole embedded stack (``syncwatch.devstack``) in a temporary home, mints access
tokens with the auth service's own signing key, creates rooms over REST (owner + four guests each),
connects every member, and then has every owner issue ``sync:seek`` commands one after another
(each waits for its ack). It prints, for both servers:

- deliveries per CPU-second of the server process (``sync:command`` frames received by members,
  divided by the user+system CPU the server used during the load phase);
- fan-out latency p50/p99 (owner's send to each member's receipt, one clock);
- memory per connection (server RSS growth while the sockets open, divided by their count),
  after a warm-up of ``WARM_UP_ROOMS`` rooms that connect and play first (not counted): one-time
  costs (first gRPC calls, imports, caches) are not per connection;
- frames of any kind members received per CPU-second (the gateway also sends acks, the chat's
  system message for each command, participant lists; the bare server only the broadcast).

Everything runs on loopback; client counts and durations are bounded by the arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import textwrap
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import psutil
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from websockets.asyncio.client import ClientConnection, connect

from syncwatch.core.tokens import AUDIENCE, ISSUER
from syncwatch.devstack.ports import free_port
from syncwatch.devstack.stack import DevStack, StackConfig

PROTOCOL = "1.0.0"
#: Rooms connected and driven before anything is measured (both servers).
WARM_UP_ROOMS = 2


@dataclass
class Figures:
    name: str
    connections: int
    deliveries: int
    frames: int
    cpu_s: float
    latencies_ms: list[float] = field(default_factory=list)
    rss_per_conn_kib: float = 0.0
    wall_s: float = 0.0

    def line(self) -> str:
        lat = sorted(self.latencies_ms) or [0.0]
        p50 = statistics.median(lat)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        rate = self.deliveries / self.cpu_s if self.cpu_s else float("nan")
        frames = self.frames / self.cpu_s if self.cpu_s else float("nan")
        return (
            f"{self.name:<22} {self.connections:>6} sockets  {self.deliveries:>8} deliveries  "
            f"{rate:>9.0f} deliveries/CPU-s  ({frames:>6.0f} frames/CPU-s)  "
            f"fan-out p50 {p50:6.2f} ms  p99 {p99:7.2f} ms  "
            f"{self.rss_per_conn_kib:6.1f} KiB/conn  ({self.cpu_s:.2f} CPU-s, {self.wall_s:.1f} s)"
        )


class Signer:
    """Access tokens signed with the running auth service's active key."""

    def __init__(self, key_dir: Path) -> None:
        newest = sorted(key_dir.glob("*.pem"))[-1]
        self.kid = newest.stem.split("-", 1)[1]
        self.key = load_pem_private_key(newest.read_bytes(), password=None)

    def token(self) -> tuple[str, str]:
        user = f"u_{uuid.uuid4().hex[:12]}"
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": user,
            "username": user[2:],
            "sid": f"s_{uuid.uuid4().hex}",
            "jti": uuid.uuid4().hex,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
        }
        token = jwt.encode(
            claims, self.key, algorithm="EdDSA", headers={"kid": self.kid, "typ": "at+jwt"}
        )  # type: ignore[arg-type]
        return user, token


async def wait_ready(url: str, timeout_s: float = 90) -> None:
    async with httpx.AsyncClient(timeout=3) as c:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if (await c.get(f"{url}/health/ready")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{url} not ready")


async def make_rooms(room_url: str, signer: Signer, rooms: int) -> list[tuple[str, list[str]]]:
    """Each room: its code, then the owner's token and four guest tokens."""
    sem = asyncio.Semaphore(16)
    out: list[tuple[str, list[str]]] = []
    counter = iter(range(1, 10_000_000))

    async def one(c: httpx.AsyncClient) -> None:
        async with sem:
            _, token = signer.token()
            ip = lambda: f"10.9.{(n := next(counter)) >> 8 & 255}.{n & 255}"  # noqa: E731
            r = await c.post(
                "/api/rooms",
                json={"maxParticipants": 5, "playbackControl": "owner_only"},
                headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": ip()},
            )
            r.raise_for_status()
            code = r.json()["room"]["code"]
            tokens = [token]
            for g in range(4):
                j = await c.post(
                    f"/api/rooms/{code}/join",
                    json={"guestName": f"g{g}"},
                    headers={"X-Forwarded-For": ip()},
                )
                j.raise_for_status()
                tokens.append(j.json()["guestToken"])
            out.append((code, tokens))

    async with httpx.AsyncClient(base_url=room_url, timeout=30) as c:
        await asyncio.gather(*(one(c) for _ in range(rooms)))
    return out


async def connect_member(url: str, token: str, code: str) -> ClientConnection:
    ws = await connect(url, open_timeout=30, max_size=2**20, compression=None)
    await ws.send(
        json.dumps(
            {
                "type": "hello",
                "id": 0,
                "data": {"protocolVersion": PROTOCOL, "clientId": uuid.uuid4().hex, "token": token},
            }
        )
    )
    await ws.recv()
    await ws.send(json.dumps({"type": "room:join", "id": 1, "data": {"roomCode": code}}))
    while True:
        frame = json.loads(await ws.recv())
        if frame["type"] in ("sync:state_snapshot", "sync:catchup"):
            return ws
        if frame["type"] == "room:error":
            raise RuntimeError(frame)


async def run_load(
    rooms: list[list[ClientConnection]], commands: int, make_frame: Any, is_delivery: Any
) -> tuple[int, int, list[float]]:
    """Every room's first socket sends ``commands`` frames one after another, waiting for its
    own copy; every member counts what it receives: ``(deliveries, frames, latencies)``."""
    sent: dict[str, float] = {}
    latencies: list[float] = []
    deliveries = 0
    frames = 0
    done = asyncio.Event()

    async def reader(ws: ClientConnection, own: asyncio.Queue[str] | None) -> None:
        nonlocal deliveries, frames
        try:
            async for raw in ws:
                frames += 1
                if own is not None and b'"room:error"' in (
                    raw if isinstance(raw, bytes) else raw.encode()
                ):
                    own.put_nowait(f"!{raw!s}")  # the owner stops the run: it would wait forever
                    return
                marker = is_delivery(raw)
                if marker is None:
                    continue
                deliveries += 1
                t = sent.get(marker)
                if t is not None:
                    latencies.append((time.perf_counter() - t) * 1000)
                if own is not None:
                    own.put_nowait(marker)
        except Exception:  # noqa: BLE001 - the benchmark ends by closing sockets
            return

    async def owner(members: list[ClientConnection], inbox: asyncio.Queue[str]) -> None:
        for i in range(commands):
            marker = f"{id(members)}-{i}"
            sent[marker] = time.perf_counter()
            await members[0].send(make_frame(marker, i))
            while (got := await inbox.get()) != marker:
                if got.startswith("!"):
                    raise RuntimeError(f"the server refused a command: {got[1:]}")

    readers = []
    owners = []
    for members in rooms:
        inbox: asyncio.Queue[str] = asyncio.Queue()
        readers += [
            asyncio.create_task(reader(ws, inbox if k == 0 else None))
            for k, ws in enumerate(members)
        ]
        owners.append(owner(members, inbox))
    await asyncio.gather(*owners)
    await asyncio.sleep(0.5)
    done.set()
    for r in readers:
        r.cancel()
    return deliveries, frames, latencies


def cpu(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system


def bench_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="sw-bench-"))
    home.chmod(0o755)  # embedded PostgreSQL runs as an unprivileged user when we are root
    return home


async def bench_gateway(args: argparse.Namespace) -> Figures:
    home = bench_home()
    config = StackConfig(home=home, port=free_port(), log_level="WARNING", web_dist=None)
    async with DevStack(config) as stack:
        await wait_ready(config.origin)
        gw = next(i for i in stack.instances.values() if i.kind.name == "sync-gateway")
        room = next(i for i in stack.instances.values() if i.kind.name == "room")
        assert gw.pid is not None
        proc = psutil.Process(gw.pid)
        signer = Signer(home / "auth" / "keys")
        made = await make_rooms(room.http_url, signer, args.rooms + WARM_UP_ROOMS)
        url = f"ws://127.0.0.1:{gw.ws_port}/ws"
        sem = asyncio.Semaphore(64)

        async def members_of(code: str, tokens: list[str]) -> list[ClientConnection]:
            async with sem:
                return [await connect_member(url, t, code) for t in tokens]

        def frame(marker: str, i: int) -> str:
            return json.dumps(
                {
                    "type": "sync:seek",
                    "id": marker,
                    "data": {"targetMediaTime": 1000 + i, "idempotencyKey": marker},
                }
            )

        def delivery(raw: str | bytes) -> str | None:
            if b'"sync:command"' not in (raw if isinstance(raw, bytes) else raw.encode()):
                return None
            return json.loads(raw)["data"].get("idempotencyKey")

        warm = [await members_of(c, t) for c, t in made[:WARM_UP_ROOMS]]
        await run_load(warm, 5, frame, delivery)
        await asyncio.sleep(1.0)
        rss0 = proc.memory_info().rss
        sockets = list(await asyncio.gather(*(members_of(c, t) for c, t in made[WARM_UP_ROOMS:])))
        await asyncio.sleep(1.0)
        rss1 = proc.memory_info().rss
        n = sum(len(m) for m in sockets)

        c0, w0 = cpu(proc), time.perf_counter()
        deliveries, frames, latencies = await run_load(sockets, args.commands, frame, delivery)
        figures = Figures(
            "sync-gateway",
            n,
            deliveries,
            frames,
            cpu(proc) - c0,
            latencies,
            (rss1 - rss0) / 1024 / n,
            time.perf_counter() - w0,
        )
        for members in sockets + warm:
            for ws in members:
                await ws.close()
    return figures


BARE_SERVER = textwrap.dedent(
    """
    import asyncio, json, sys
    from websockets.asyncio.server import serve, broadcast
    rooms = {}
    async def handler(ws):
        room = None
        async for raw in ws:
            msg = json.loads(raw)
            if msg["type"] == "join":
                room = rooms.setdefault(msg["room"], set()); room.add(ws)
                await ws.send('{"type":"joined"}')
            elif room is not None:
                broadcast(room, raw)
        if room is not None:
            room.discard(ws)
    async def main():
        async with serve(handler, "127.0.0.1", int(sys.argv[1]), compression=None, max_size=65536):
            print("ready", flush=True)
            await asyncio.Future()
    asyncio.run(main())
    """
)


async def bench_bare(args: argparse.Namespace) -> Figures:
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BARE_SERVER, str(port), stdout=asyncio.subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        await server.stdout.readline()
        proc = psutil.Process(server.pid)
        url = f"ws://127.0.0.1:{port}/"

        async def member(room: int) -> ClientConnection:
            ws = await connect(url, open_timeout=30, compression=None)
            await ws.send(json.dumps({"type": "join", "room": room}))
            await ws.recv()
            return ws

        sem = asyncio.Semaphore(64)

        async def room_members(room: int) -> list[ClientConnection]:
            async with sem:
                return [await member(room) for _ in range(5)]

        def frame(marker: str, i: int) -> str:
            return json.dumps(
                {"type": "sync:command", "data": {"marker": marker, "targetMediaTime": 1000 + i}}
            )

        def delivery(raw: str | bytes) -> str | None:
            return json.loads(raw)["data"]["marker"]

        warm = [await room_members(-1 - r) for r in range(WARM_UP_ROOMS)]
        await run_load(warm, 5, frame, delivery)
        await asyncio.sleep(1.0)
        rss0 = proc.memory_info().rss
        sockets = list(await asyncio.gather(*(room_members(r) for r in range(args.rooms))))
        await asyncio.sleep(1.0)
        rss1 = proc.memory_info().rss
        n = sum(len(m) for m in sockets)

        c0, w0 = cpu(proc), time.perf_counter()
        deliveries, frames, latencies = await run_load(sockets, args.commands, frame, delivery)
        figures = Figures(
            "bare websockets",
            n,
            deliveries,
            frames,
            cpu(proc) - c0,
            latencies,
            (rss1 - rss0) / 1024 / n,
            time.perf_counter() - w0,
        )
        for members in sockets + warm:
            for ws in members:
                await ws.close()
        return figures
    finally:
        server.terminate()
        await server.wait()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rooms", type=int, default=300, help="rooms of five (sockets = 5 x rooms)"
    )
    parser.add_argument("--commands", type=int, default=20, help="commands each owner issues")
    args = parser.parse_args()
    if args.rooms * 5 > 20_000 or args.commands > 1000:
        parser.error("bounded: at most 4,000 rooms and 1,000 commands each")
    os.environ.setdefault("SYNCWATCH_LOG_LEVEL", "WARNING")
    # Owners send commands as fast as they are acked: past the per-socket limit (30 frames a
    # second) on a quiet machine. The benchmark measures fan-out, not the limiter.
    os.environ.setdefault("SYNC_GATEWAY_FRAMES_PER_SECOND", "100000")
    os.environ.setdefault("SYNC_GATEWAY_FRAME_BURST", "100000")
    print(
        f"bench-gateway: {args.rooms} rooms x 5 sockets, {args.commands} commands per room (loopback)"
    )
    gateway = await bench_gateway(args)
    bare = await bench_bare(args)
    print(gateway.line())
    print(bare.line())
    print("targets: ≥ 50,000 deliveries per CPU-second, ≤ 16 KiB per connection")


if __name__ == "__main__":
    asyncio.run(main())
