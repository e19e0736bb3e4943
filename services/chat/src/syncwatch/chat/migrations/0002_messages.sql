-- Chat messages of every room (spec §4.4, issue 6). Room ids are the room service's ("rm_…"); this
-- service never reads its tables, so there is no foreign key. Nothing is removed yet: rows stay
-- after a room ends (the media-janitor will clean them later).

-- Each room's last seq and id. A writer locks its room's row (an upsert) for the whole insert
-- transaction, so writers of one room take turns and every committed message gets the next number:
-- no gaps, since a transaction that rolls back also rolls back its bump. The next id is made greater
-- than last_id, so a room's ids sort in seq order too.
CREATE TABLE room_counters (
    room_id text PRIMARY KEY,
    last_seq bigint NOT NULL CHECK (last_seq >= 0),
    last_id text
);

CREATE TABLE messages (
    id text PRIMARY KEY,                 -- msg_<ms hex><random hex>, sorts by creation time
    room_id text NOT NULL,
    seq bigint NOT NULL CHECK (seq >= 1),
    kind text NOT NULL CHECK (kind IN ('user', 'system')),
    author_user_id text,                 -- user messages: the signed-in member (u_…)
    author_name text NOT NULL DEFAULT '',
    content text NOT NULL DEFAULT '',    -- cleared when deleted
    system_kind text,                    -- system messages: join, leave, play, seek, …
    system_data jsonb NOT NULL DEFAULT '{}',  -- an object of strings
    client_message_id text,              -- user messages: the sender's idempotency key
    dedup_key text,                      -- system messages: the caller's idempotency key
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    deleted_by text,                     -- user id of who deleted it
    CONSTRAINT messages_room_seq UNIQUE (room_id, seq),
    CONSTRAINT messages_user_shape CHECK (
        kind <> 'user'
        OR (author_user_id IS NOT NULL AND client_message_id IS NOT NULL
            AND system_kind IS NULL AND dedup_key IS NULL)),
    CONSTRAINT messages_system_shape CHECK (
        kind <> 'system'
        OR (system_kind IS NOT NULL AND dedup_key IS NOT NULL
            AND author_user_id IS NULL AND client_message_id IS NULL))
);
-- Idempotency: the arbiters of INSERT … ON CONFLICT. The other kind's rows hold NULLs here, and
-- NULLs never conflict.
CREATE UNIQUE INDEX messages_client_message ON messages (room_id, author_user_id, client_message_id);
CREATE UNIQUE INDEX messages_dedup_key ON messages (room_id, dedup_key);
-- A leave event carries no name: it is found on the member's join message.
CREATE INDEX messages_join_member ON messages (room_id, (system_data ->> 'memberId'))
    WHERE system_kind = 'join';
