"""Run the auth service standalone: ``python -m syncwatch.auth``."""

from syncwatch.auth.service import ENV_PREFIX, Settings, build
from syncwatch.core.runtime import run_main


def main() -> None:
    """Console entry point ``syncwatch-auth``."""
    run_main("auth", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
