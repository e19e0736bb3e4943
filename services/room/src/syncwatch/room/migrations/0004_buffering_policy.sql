-- The room's buffering policy (docs/api/rooms.md, "Rules"): what playback does while a member's
-- player is buffering. The sync gateway enforces it; it reads it over gRPC (Room.buffering_*).
ALTER TABLE rooms
    ADD COLUMN buffering_policy text NOT NULL DEFAULT 'wait_then_continue'
        CHECK (buffering_policy IN ('wait_then_continue', 'always_wait', 'never_wait')),
    -- How long 'wait_then_continue' waits for a buffering member before going on without them.
    ADD COLUMN buffering_grace_s smallint NOT NULL DEFAULT 10
        CHECK (buffering_grace_s BETWEEN 1 AND 120);
