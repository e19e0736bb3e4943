"""Prometheus metrics of the gateway (spec §8.2 names where the spec has one).

No ``roomId`` label (the spec's example has one): room ids are unbounded, and a label per room
would grow the registry without limit. Per-room figures are in the participants' sync health.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

_MS = (1, 2, 5, 8, 10, 17, 25, 33, 50, 100, 200, 300, 500, 1000, 2000, 5000)

CONNECTIONS = Gauge("syncwatch_ws_connections", "Open WebSocket connections on this replica")
ROOMS = Gauge("syncwatch_active_rooms", "Rooms with at least one member connected to this replica")
FRAMES = Counter("syncwatch_ws_frames_total", "Frames received, by type", ["type"])
FRAMES_REFUSED = Counter(
    "syncwatch_ws_frames_refused_total", "Frames refused, by reason", ["reason"]
)
DELIVERIES = Counter("syncwatch_sync_deliveries_total", "sync:command frames sent to members")
COMMANDS = Counter("syncwatch_sync_commands_total", "Commands ordered, by type", ["command_type"])
COMMAND_LATENCY = Histogram(
    "syncwatch_sync_command_latency_ms",
    "From a command's arrival to its delivery to this replica's members",
    ["command_type"],
    buckets=_MS,
)
DRIFT = Histogram(
    "syncwatch_playback_drift_ms",
    "Reported playback drift of each viewer against the room (absolute, ms)",
    buckets=_MS,
)
RTT = Histogram("syncwatch_clock_rtt_ms", "Round-trip times viewers report (ms)", buckets=_MS)
