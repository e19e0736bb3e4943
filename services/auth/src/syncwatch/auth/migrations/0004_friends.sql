-- Friend requests and friendships: one row per pair of users, whoever asked first. A pending row is
-- a request from requester to addressee; an accepted row is a friendship.
CREATE TABLE friendships (
    id text PRIMARY KEY,
    requester_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    addressee_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('pending', 'accepted')),
    created_at timestamptz NOT NULL,
    accepted_at timestamptz,
    CHECK (requester_id <> addressee_id)
);
-- At most one row per pair, in either direction.
CREATE UNIQUE INDEX friendships_pair_key
    ON friendships (least(requester_id, addressee_id), greatest(requester_id, addressee_id));
CREATE INDEX friendships_by_addressee ON friendships (addressee_id);

-- Blocks are one-way: blocker no longer hears from blocked (and any friendship between them ended).
CREATE TABLE blocks (
    blocker_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_by_blocked ON blocks (blocked_id);
