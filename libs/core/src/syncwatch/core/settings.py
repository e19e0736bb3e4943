"""Settings from environment variables, typed by msgspec, failing fast with every problem listed.

Every field of a settings Struct is read from ``<PREFIX><FIELD_NAME_UPPER>``. A secret may instead be
given as ``<NAME>_FILE`` naming a file whose content is the value (Kubernetes secrets, Docker secrets).
List fields take comma-separated values. Field descriptions come from ``msgspec.Meta(description=...)``
and are what ``describe()`` prints in the configuration table.

We use msgspec (already our wire-format library) instead of pydantic-settings: one validation layer
for the whole repo, and ``*_FILE`` support, which pydantic-settings does not have.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

import msgspec

T = TypeVar("T", bound=msgspec.Struct)


class SettingsError(Exception):
    """The environment does not describe a runnable service. The message lists every problem."""


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin in (list, tuple, frozenset, set):
        return True
    # Optional[list[str]] and friends
    return (
        any(_is_list(a) for a in get_args(annotation) if a is not type(None)) if origin else False
    )


def env_name(prefix: str, field: str) -> str:
    """The environment variable that sets ``field`` under ``prefix``."""
    return f"{prefix}{field.upper()}"


def load_settings(cls: type[T], prefix: str, environ: Mapping[str, str] | None = None) -> T:
    """Build ``cls`` from the environment, or raise SettingsError naming every bad or missing variable."""
    env = os.environ if environ is None else environ
    hints = get_type_hints(cls, include_extras=True)
    raw: dict[str, Any] = {}
    problems: list[str] = []
    for field in msgspec.structs.fields(cls):
        name = env_name(prefix, field.name)
        file_name = f"{name}_FILE"
        value: str | None = env.get(name)
        if file_name in env:
            if value is not None:
                problems.append(f"{name} and {file_name} are both set; set only one")
                continue
            try:
                value = Path(env[file_name]).read_text(encoding="utf-8").strip()
            except OSError as exc:
                problems.append(f"{file_name}={env[file_name]!r} cannot be read: {exc.strerror}")
                continue
        if value is None:
            if field.required:
                problems.append(f"{name} is required but not set")
            continue
        if _is_list(hints[field.name]):
            raw[field.name] = [item.strip() for item in value.split(",") if item.strip()]
        else:
            raw[field.name] = value
    if problems:
        raise SettingsError(_format(cls, problems))
    try:
        return msgspec.convert(raw, cls, strict=False)
    except msgspec.ValidationError as exc:
        # msgspec names the field as `$.field`; translate to the variable the operator has to fix.
        message = str(exc)
        for field in msgspec.structs.fields(cls):
            message = message.replace(f"`$.{field.name}`", env_name(prefix, field.name))
        raise SettingsError(_format(cls, [message])) from None


def _format(cls: type[Any], problems: list[str]) -> str:
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"invalid configuration for {cls.__name__}:\n{lines}"


def describe(cls: type[msgspec.Struct], prefix: str) -> list[tuple[str, str, str]]:
    """Rows of (variable, default, description) for documentation and ``--help`` output."""
    hints = get_type_hints(cls, include_extras=True)
    rows = []
    for field in msgspec.structs.fields(cls):
        description = ""
        annotation = hints[field.name]
        if get_origin(annotation) is Annotated:
            for meta in get_args(annotation)[1:]:
                if isinstance(meta, msgspec.Meta) and meta.description:
                    description = meta.description
        if field.required:
            default = "(required)"
        elif field.default_factory is not msgspec.NODEFAULT:
            default = repr(field.default_factory())
        else:
            default = repr(field.default)
        rows.append((env_name(prefix, field.name), default, description))
    return rows
