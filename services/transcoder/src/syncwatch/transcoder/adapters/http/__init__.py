"""``/api/videos/*`` controllers and their bodies."""
