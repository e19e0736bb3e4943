"""SyncWatch transcoder service: videos, upload sessions, transcode jobs and HLS delivery."""
