-- The transcoder service owns this schema; no other service reads it (DESIGN.md §1).
COMMENT ON SCHEMA transcoder IS 'SyncWatch transcoder: videos, upload sessions, transcode jobs and HLS delivery';
