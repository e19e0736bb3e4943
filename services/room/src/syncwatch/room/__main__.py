"""Run the room service standalone: ``python -m syncwatch.room``."""

from syncwatch.core.runtime import run_main
from syncwatch.room.service import ENV_PREFIX, Settings, build


def main() -> None:
    """Console entry point ``syncwatch-room``."""
    run_main("room", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
