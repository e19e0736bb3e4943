"""Run the chat service standalone: ``python -m syncwatch.chat``."""

from syncwatch.chat.service import ENV_PREFIX, Settings, build
from syncwatch.core.runtime import run_main


def main() -> None:
    """Console entry point ``syncwatch-chat``."""
    run_main("chat", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
