-- Users and their access keys (the secret is encrypted with the workspace key, because SigV4
-- verification needs it in clear), the durable event log (written in the transaction of the
-- change it reports; ids only increase), single-use email acknowledgement links (only the
-- SHA-256 of a token is kept), Twilio callbacks already handled, and who called from where in
-- the audit trail.

CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    arn         TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    contact_arn TEXT,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_us  INTEGER NOT NULL,
    updated_us  INTEGER NOT NULL
);
CREATE INDEX users_by_contact ON users (contact_arn) WHERE contact_arn IS NOT NULL;

CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    user_name     TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    secret_enc    TEXT NOT NULL,
    created_us    INTEGER NOT NULL
);
CREATE INDEX access_keys_by_user ON access_keys (user_name, created_us);

CREATE TABLE event_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    time_us      INTEGER NOT NULL,
    type         TEXT NOT NULL,
    resource_arn TEXT,
    detail       TEXT NOT NULL
);
CREATE INDEX event_log_by_time ON event_log (time_us);

CREATE TABLE ack_links (
    token_hash TEXT PRIMARY KEY,
    page_arn   TEXT NOT NULL REFERENCES pages(arn) ON DELETE CASCADE,
    created_us INTEGER NOT NULL,
    used_us    INTEGER
);
CREATE INDEX ack_links_by_page ON ack_links (page_arn);

-- Twilio request ids (MessageSid, CallSid) already handled: a replayed callback is refused.
CREATE TABLE webhook_requests (
    key     TEXT PRIMARY KEY,
    seen_us INTEGER NOT NULL
);

ALTER TABLE audit ADD COLUMN access_key_id TEXT;
ALTER TABLE audit ADD COLUMN source_ip TEXT;
