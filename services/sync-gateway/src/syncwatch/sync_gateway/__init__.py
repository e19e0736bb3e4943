"""SyncWatch sync-gateway service: the browser WebSocket edge (`/ws`), connections, presence and live playback state."""
