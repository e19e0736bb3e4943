-- Users and their sessions. A session is one refresh-token family (its id is the access tokens'
-- `sid`): created at sign-in, 7 days absolute, ended by logout, password change or token reuse.

CREATE TABLE users (
    id text PRIMARY KEY,
    email text NOT NULL,
    username text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    password_changed_at timestamptz NOT NULL
);
-- Unique case-insensitively; the rows keep the spelling people typed.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
-- Friend search by username prefix (LIKE 'pre%' on lower(username)).
CREATE INDEX users_username_prefix ON users (lower(username) text_pattern_ops);

CREATE TABLE sessions (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text,
    created_ip text NOT NULL,
    user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are stored only as SHA-256 hashes. A token is current until it is rotated; then
-- `successor_hash` names the token that replaced it and `sealed_successor` holds that token encrypted
-- under a key derived from this (rotated) token, so that only whoever presents it within the grace
-- period gets the same successor back (two tabs refreshing at once).
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at timestamptz NOT NULL,
    rotated_at timestamptz,
    successor_hash bytea,
    sealed_successor bytea
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
