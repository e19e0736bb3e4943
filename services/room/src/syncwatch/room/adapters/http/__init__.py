"""The room service's REST API, as docs/api/rooms.md defines it."""
