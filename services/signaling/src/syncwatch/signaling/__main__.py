"""Run the signaling service standalone: ``python -m syncwatch.signaling``."""

from syncwatch.core.runtime import run_main
from syncwatch.signaling.service import ENV_PREFIX, Settings, build


def main() -> None:
    """Console entry point ``syncwatch-signaling``."""
    run_main("signaling", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
