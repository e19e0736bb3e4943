-- The room service owns this schema; no other service reads it (DESIGN.md §1).
COMMENT ON SCHEMA room IS 'SyncWatch room: rooms, invite codes, passwords, members and roles, bans, settings, ownership';
