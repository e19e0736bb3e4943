-- The audit log (spec §7.8.2), filled from JetStream AUDIT by the `auth-audit-store` consumer.
-- `id` is the event id, so a redelivered event is stored once. `retention_class` (§7.8.3) is what the
-- media janitor's retention job deletes by: security 365 days, moderation 90, activity 30.
CREATE TABLE audit_log (
    id text PRIMARY KEY,
    timestamp timestamptz NOT NULL,
    event_type text NOT NULL,
    actor_id text,
    actor_ip text NOT NULL,
    target_type text NOT NULL,
    target_id text NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    success boolean NOT NULL DEFAULT true,
    retention_class text NOT NULL CHECK (retention_class IN ('security', 'moderation', 'activity')),
    stored_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_timestamp ON audit_log (timestamp);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_target ON audit_log (target_id);
CREATE INDEX audit_log_event_type ON audit_log (event_type);
CREATE INDEX audit_log_retention ON audit_log (retention_class, timestamp);
