"""Run the sync-gateway service standalone: ``python -m syncwatch.sync_gateway``."""

from syncwatch.core.runtime import run_main
from syncwatch.sync_gateway.service import ENV_PREFIX, Settings, build


def main() -> None:
    """Console entry point ``syncwatch-sync-gateway``."""
    run_main("sync-gateway", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
