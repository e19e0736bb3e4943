-- Why a member was removed, and friends' invites into rooms (docs/api/rooms.md, "Removed members"
-- and "Invites").

-- The owner's reason for a kick or a ban, shown to the removed member ('' when none was given).
ALTER TABLE members ADD COLUMN left_note text NOT NULL DEFAULT '';

-- A member asks a friend in. Pending while settled_at IS NULL; joining the room (by any way)
-- settles every pending invite of the invitee to it, and the invitee may dismiss one.
CREATE TABLE invites (
    id text PRIMARY KEY,
    room_id text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    from_user_id text NOT NULL,          -- auth user id of the member who invited
    from_username text NOT NULL,         -- their username at the time, from their access token
    to_user_id text NOT NULL,            -- auth user id of the friend invited
    created_at timestamptz NOT NULL,
    settled_at timestamptz,
    settled_reason text CHECK (settled_reason IN ('joined', 'dismissed')),
    CONSTRAINT invites_settled CHECK ((settled_at IS NULL) = (settled_reason IS NULL)),
    CONSTRAINT invites_not_self CHECK (from_user_id <> to_user_id)
);
-- At most one pending invite per friend and room: a second invite answers with the first.
CREATE UNIQUE INDEX invites_pending ON invites (room_id, to_user_id) WHERE settled_at IS NULL;
CREATE INDEX invites_pending_to ON invites (to_user_id, created_at DESC) WHERE settled_at IS NULL;
