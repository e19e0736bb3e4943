"""Run the transcoder service standalone: ``python -m syncwatch.transcoder``."""

from syncwatch.core.runtime import run_main
from syncwatch.transcoder.service import ENV_PREFIX, Settings, build


def main() -> None:
    """Console entry point ``syncwatch-transcoder``."""
    run_main("transcoder", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
