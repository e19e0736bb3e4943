-- Rooms, their members (users and guests), bans and control grants (spec §4.1, §6 Room model).
-- A room is live while deleted_at IS NULL and expires_at is in the future; reads treat anything
-- else as gone (404). Rows stay for room history and are removed by the media-janitor later.

CREATE TABLE rooms (
    id text PRIMARY KEY,
    -- 8 characters of ABCDEFGHJKLMNPQRSTUVWXYZ23456789, stored upper case.
    code text NOT NULL CONSTRAINT rooms_code_key UNIQUE
        CONSTRAINT rooms_code_format CHECK (code ~ '^[A-HJ-NP-Z2-9]{8}$'),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
    owner_id text NOT NULL,              -- auth user id (u_…); guests never own a room
    max_participants smallint NOT NULL CHECK (max_participants BETWEEN 2 AND 5),
    password_hash text,                  -- argon2id PHC string; NULL = no password
    playback_control text NOT NULL DEFAULT 'owner_only'
        CHECK (playback_control IN ('owner_only', 'all', 'selected')),
    handover_enabled boolean NOT NULL DEFAULT true,
    handover_order text NOT NULL DEFAULT 'join_order'
        CHECK (handover_order IN ('join_order', 'explicit_delegate')),
    delegate_member_id text,             -- used when handover_order = 'explicit_delegate'
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    deleted_at timestamptz
);
CREATE INDEX rooms_owner ON rooms (owner_id);
CREATE INDEX rooms_live_expiry ON rooms (expires_at) WHERE deleted_at IS NULL;

-- One row per stay: a member who leaves gets left_at; joining again makes a new row. At most one
-- active (left_at IS NULL) row per user and per guest identity in a room.
CREATE TABLE members (
    id text PRIMARY KEY,
    -- Join order (handover goes to the longest-present member); times can tie, this cannot.
    seq bigint GENERATED ALWAYS AS IDENTITY,
    room_id text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id text,                        -- auth user id, or NULL for a guest
    guest_id text,                       -- stable guest identity (g_…), or NULL for a user
    display_name text NOT NULL,          -- username at join time, or the guest's chosen name
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
    joined_at timestamptz NOT NULL,
    left_at timestamptz,
    left_reason text CHECK (left_reason IN ('left', 'kicked', 'banned', 'room_deleted')),
    CONSTRAINT members_user_or_guest CHECK ((user_id IS NULL) <> (guest_id IS NULL)),
    CONSTRAINT members_guest_not_owner CHECK (guest_id IS NULL OR role = 'member')
);
CREATE UNIQUE INDEX members_active_user ON members (room_id, user_id)
    WHERE left_at IS NULL AND user_id IS NOT NULL;
CREATE UNIQUE INDEX members_active_guest ON members (room_id, guest_id)
    WHERE left_at IS NULL AND guest_id IS NOT NULL;
CREATE INDEX members_active_by_room ON members (room_id, seq) WHERE left_at IS NULL;
CREATE INDEX members_by_user ON members (user_id, joined_at DESC) WHERE user_id IS NOT NULL;

CREATE TABLE bans (
    id text PRIMARY KEY,
    room_id text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id text,
    guest_id text,
    display_name text NOT NULL,
    reason text NOT NULL DEFAULT '',
    banned_by text NOT NULL,             -- user id of the owner who banned
    created_at timestamptz NOT NULL,
    CONSTRAINT bans_user_or_guest CHECK ((user_id IS NULL) <> (guest_id IS NULL))
);
CREATE UNIQUE INDEX bans_user ON bans (room_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX bans_guest ON bans (room_id, guest_id) WHERE guest_id IS NOT NULL;

-- Members allowed to control playback in 'selected' mode; kept across mode changes.
CREATE TABLE control_grants (
    room_id text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    granted_by text NOT NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, member_id)
);
