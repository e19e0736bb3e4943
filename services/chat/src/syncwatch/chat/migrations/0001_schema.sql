-- The chat service owns this schema; no other service reads it (DESIGN.md §1).
COMMENT ON SCHEMA chat IS 'SyncWatch chat: chat messages (durable), history and chat rate limits';
