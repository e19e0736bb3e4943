"""The REST API of docs/api/auth.md: ``/api/auth/*`` (sessions) and ``/api/friends/*``."""
