"""SyncWatch chat service: chat messages (durable), history and chat rate limits."""
