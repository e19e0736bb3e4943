"""Prometheus metrics of the transcoder service."""

from __future__ import annotations

from prometheus_client import Counter

SOURCE_CHECKS = Counter(
    "syncwatch_source_validations_total",
    "Pasted video links checked, by outcome: the provider when supported, else the reason",
    ["outcome"],
)
