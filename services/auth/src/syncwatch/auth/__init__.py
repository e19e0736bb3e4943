"""SyncWatch auth service: users, credentials, refresh-token families, friendships and the audit log store."""
