"""The public WebSocket protocol (see v1)."""
