"""Run the media-janitor service standalone: ``python -m syncwatch.media_janitor``."""

from syncwatch.core.runtime import run_main
from syncwatch.media_janitor.service import ENV_PREFIX, Settings, build


def main() -> None:
    """Console entry point ``syncwatch-media-janitor``."""
    run_main("media-janitor", Settings, ENV_PREFIX, build)


if __name__ == "__main__":
    main()
