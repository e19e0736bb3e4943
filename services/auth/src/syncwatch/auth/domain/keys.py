"""Signing-key rotation, decided from the keys' creation times alone.

The newest key signs. A new key is made when the newest is older than the rotation period. An older
key stays published (its tokens still verify) until every token it could have signed has expired:
``token_ttl_s`` after its successor took over, plus ``overlap_s`` for replicas that have not yet
noticed the successor. The newest key is never removed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True)
class KeyInfo:
    """A key as the rotation sees it."""

    kid: str
    created_at: float


@dataclass(frozen=True)
class RotationPlan:
    """What to do now."""

    create: bool
    remove: tuple[str, ...]


def plan_rotation(
    keys: list[KeyInfo], now: float, *, rotation_s: float, token_ttl_s: float, overlap_s: float
) -> RotationPlan:
    """Create a key when there is none or the newest is due; retire keys no token can need."""
    ordered = sorted(keys, key=lambda k: k.created_at, reverse=True)
    create = not ordered or now - ordered[0].created_at >= rotation_s
    remove = []
    # ordered[i] was succeeded by ordered[i - 1]: once that one signs, ordered[i] signs nothing new.
    for successor, key in itertools.pairwise(ordered):
        if now >= successor.created_at + token_ttl_s + overlap_s:
            remove.append(key.kid)
    return RotationPlan(create=create, remove=tuple(remove))
