"""Rules of live playback, free of I/O."""
