"""Print the configuration table (Markdown) of one service or of all: `python scripts/config_table.py [svc]`.

The rows come from the settings Structs themselves (names, defaults, descriptions), so the README
tables cannot drift from the code: regenerate them with this script after changing a setting.
"""

from __future__ import annotations

import importlib
import sys

from syncwatch.core.runtime import SharedSettings
from syncwatch.core.settings import describe

SERVICES = ("auth", "room", "sync-gateway", "chat", "signaling", "transcoder", "media-janitor")


def table(rows: list[tuple[str, str, str]]) -> str:
    """Markdown table of (variable, default, description) rows."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | `{default}` | {doc} |" for name, default, doc in rows]
    return "\n".join(lines)


def service_rows(service: str) -> list[tuple[str, str, str]]:
    """The settings rows of one service."""
    module = importlib.import_module(f"syncwatch.{service.replace('-', '_')}.service")
    return describe(module.Settings, module.ENV_PREFIX)


def main() -> int:
    """Print one table, or the shared one and every service's."""
    names = sys.argv[1:] or ["shared", *SERVICES]
    for name in names:
        rows = describe(SharedSettings, "SYNCWATCH_") if name == "shared" else service_rows(name)
        if len(names) > 1:
            print(f"\n### {name}\n")
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
