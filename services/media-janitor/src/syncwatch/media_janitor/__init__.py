"""SyncWatch media-janitor service: clean-up: orphaned and expired media, expired rooms, abandoned uploads, audit retention."""
