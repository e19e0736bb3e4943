-- The media-janitor service owns this schema; no other service reads it (DESIGN.md §1).
COMMENT ON SCHEMA media_janitor IS 'SyncWatch media-janitor: clean-up: orphaned and expired media, expired rooms, abandoned uploads, audit retention';
