"""Structured JSON logs: one object per line with service, request id and trace ids; secrets redacted.

structlog renders our own events; the standard library's records (uvicorn, grpc, nats, asyncpg) are
routed through the same processors, so every line a service prints has one shape.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace

SECRET_KEYS = re.compile(
    r"pass(word|wd)?|secret|token|authorization|cookie|api[-_]?key|credential|private[-_]?key",
    re.IGNORECASE,
)
# user:password@ in any URL-like value (DSNs, proxy URLs).
URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]*):(?P<pw>[^@/\s]+)@", re.I)
BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
REDACTED = "[redacted]"


def redact_value(value: Any) -> Any:
    """Mask credentials embedded in a string; other values pass through unchanged."""
    if isinstance(value, str):
        value = URL_PASSWORD.sub(lambda m: f"{m['scheme']}:{REDACTED}@", value)
        return BEARER.sub(lambda m: f"{m[1]} {REDACTED}", value)
    return value


def _redact(obj: Any, depth: int = 0) -> Any:
    if depth > 5:
        return obj
    if isinstance(obj, dict):
        return {
            k: (REDACTED if isinstance(k, str) and SECRET_KEYS.search(k) else _redact(v, depth + 1))
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        return [_redact(v, depth + 1) for v in obj]
    return redact_value(obj)


def redact_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: drop values of secret-looking keys, mask credentials inside strings."""
    for key in list(event_dict):
        if SECRET_KEYS.search(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _redact(event_dict[key])
    return event_dict


def add_trace_ids(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: the current OpenTelemetry trace and span ids, when a span is active."""
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        event_dict.setdefault("trace_id", format(ctx.trace_id, "032x"))
        event_dict.setdefault("span_id", format(ctx.span_id, "016x"))
    return event_dict


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Set up structlog and the standard library for one process. Safe to call more than once."""
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)

    def add_service(
        _l: Any, _m: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        event_dict.setdefault("service", service)
        return event_dict

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        timestamper,
        add_service,
        add_trace_ids,
        redact_secrets,
    ]
    renderer: Any = (
        # Plain tracebacks: the rich formatter would print local variables, passwords included.
        structlog.dev.ConsoleRenderer(
            colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
        if fmt == "console"
        else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn installs its own handlers; route its records through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structured logger; bind request-scoped values with structlog.contextvars."""
    return structlog.stdlib.get_logger(name)
