"""SyncWatch room service: rooms, invite codes, passwords, members and roles, bans, settings, ownership."""
