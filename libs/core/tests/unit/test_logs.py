import json
import logging

import structlog

from syncwatch.core.logs import (
    REDACTED,
    configure_logging,
    get_logger,
    redact_secrets,
    redact_value,
)


def test_secret_keys_are_dropped() -> None:
    out = redact_secrets(
        None, "info", {"event": "x", "password": "hunter2", "refresh_token": "abc"}
    )
    assert out["password"] == REDACTED
    assert out["refresh_token"] == REDACTED
    assert out["event"] == "x"


def test_nested_secret_keys_are_dropped() -> None:
    out = redact_secrets(
        None, "info", {"event": "x", "headers": {"Authorization": "Bearer abc", "Accept": "a"}}
    )
    assert out["headers"] == {"Authorization": REDACTED, "Accept": "a"}


def test_credentials_inside_strings_are_masked() -> None:
    assert (
        redact_value("postgresql://app:s3cret@db:5432/x")
        == f"postgresql://app:{REDACTED}@db:5432/x"
    )
    assert redact_value("got Bearer eyJhbGciOi.x.y here") == f"got Bearer {REDACTED} here"
    assert redact_value("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379"


def test_json_lines_carry_service_request_id_and_no_secret(capsys) -> None:
    configure_logging("unit", "INFO", "json")
    with structlog.contextvars.bound_contextvars(request_id="r-1"):
        get_logger("t").info("hello", dsn="postgresql://u:pw@h/db", api_key="k")
    logging.getLogger("plain.stdlib").warning("from stdlib")
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    ours, stdlib = lines[-2], lines[-1]
    assert ours["event"] == "hello"
    assert ours["service"] == "unit"
    assert ours["request_id"] == "r-1"
    assert ours["dsn"] == f"postgresql://u:{REDACTED}@h/db"
    assert ours["api_key"] == REDACTED
    assert stdlib["event"] == "from stdlib"
    assert stdlib["service"] == "unit"
    assert stdlib["level"] == "warning"
