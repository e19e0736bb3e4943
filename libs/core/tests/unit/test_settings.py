from typing import Annotated

import msgspec
import pytest

from syncwatch.core.settings import SettingsError, describe, load_settings


class Example(msgspec.Struct, kw_only=True):
    database_url: Annotated[str, msgspec.Meta(description="where the rows live")]
    port: int = 8080
    ratio: float = 0.5
    debug: bool = False
    origins: list[str] = msgspec.field(default_factory=list)


def test_reads_typed_values_with_prefix() -> None:
    env = {
        "SVC_DATABASE_URL": "postgresql://x/y",
        "SVC_PORT": "9000",
        "SVC_RATIO": "0.25",
        "SVC_DEBUG": "true",
        "SVC_ORIGINS": "http://a, http://b,",
        "OTHER_PORT": "1",
    }
    s = load_settings(Example, "SVC_", env)
    assert s == Example(
        database_url="postgresql://x/y",
        port=9000,
        ratio=0.25,
        debug=True,
        origins=["http://a", "http://b"],
    )


def test_defaults_apply() -> None:
    s = load_settings(Example, "SVC_", {"SVC_DATABASE_URL": "d"})
    assert s.port == 8080
    assert s.origins == []


def test_missing_required_is_named() -> None:
    with pytest.raises(SettingsError, match="SVC_DATABASE_URL is required"):
        load_settings(Example, "SVC_", {})


def test_bad_value_names_the_variable_not_the_field() -> None:
    with pytest.raises(SettingsError) as exc:
        load_settings(Example, "SVC_", {"SVC_DATABASE_URL": "d", "SVC_PORT": "eighty"})
    assert "SVC_PORT" in str(exc.value)
    assert "$.port" not in str(exc.value)


def test_file_variant_reads_secret(tmp_path) -> None:
    secret = tmp_path / "dsn"
    secret.write_text("postgresql://user:pw@db/x\n")
    s = load_settings(Example, "SVC_", {"SVC_DATABASE_URL_FILE": str(secret)})
    assert s.database_url == "postgresql://user:pw@db/x"


def test_file_and_value_together_is_refused(tmp_path) -> None:
    secret = tmp_path / "dsn"
    secret.write_text("x")
    with pytest.raises(SettingsError, match="both set"):
        load_settings(
            Example, "SVC_", {"SVC_DATABASE_URL": "a", "SVC_DATABASE_URL_FILE": str(secret)}
        )


def test_unreadable_file_is_reported(tmp_path) -> None:
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(Example, "SVC_", {"SVC_DATABASE_URL_FILE": str(tmp_path / "missing")})


def test_every_problem_is_listed_at_once() -> None:
    class Two(msgspec.Struct, kw_only=True):
        a: str
        b: str

    with pytest.raises(SettingsError) as exc:
        load_settings(Two, "X_", {})
    assert "X_A is required" in str(exc.value)
    assert "X_B is required" in str(exc.value)


def test_describe_lists_variables_defaults_and_docs() -> None:
    rows = {r[0]: r for r in describe(Example, "SVC_")}
    assert rows["SVC_DATABASE_URL"] == ("SVC_DATABASE_URL", "(required)", "where the rows live")
    assert rows["SVC_PORT"][1] == "8080"
    assert rows["SVC_ORIGINS"][1] == "[]"
