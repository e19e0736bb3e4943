-- The auth service owns this schema; no other service reads it (DESIGN.md §1).
COMMENT ON SCHEMA auth IS 'SyncWatch auth: users, credentials, refresh-token families, friendships and the audit log store';
