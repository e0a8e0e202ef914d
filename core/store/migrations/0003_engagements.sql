-- Engagements (a contact being engaged, possibly on behalf of an incident), pages (one per
-- personal contact per engagement), receipts, and the outbox every message goes through.

CREATE TABLE engagements (
    arn            TEXT PRIMARY KEY,
    root_arn       TEXT NOT NULL,        -- the engagement StartEngagement created
    parent_arn     TEXT,                 -- the escalation / schedule engagement that spawned it
    contact_arn    TEXT NOT NULL,
    contact_type   TEXT NOT NULL,
    is_essential   INTEGER NOT NULL DEFAULT 0,  -- as a target of its parent's stage
    stage_index    INTEGER,              -- the parent's stage that engaged it
    incident_id    TEXT,
    sender         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    content        TEXT NOT NULL,
    public_subject TEXT,
    public_content TEXT,
    start_us       INTEGER NOT NULL,
    stop_us        INTEGER,
    stop_reason    TEXT,
    acked_us       INTEGER,              -- progression stopped by an acknowledgement
    acked_by       TEXT
);
CREATE INDEX engagements_by_incident ON engagements (incident_id, start_us);
CREATE INDEX engagements_by_root ON engagements (root_arn);
CREATE INDEX engagements_by_start ON engagements (start_us, arn);

CREATE TABLE pages (
    arn            TEXT PRIMARY KEY,
    engagement_arn TEXT NOT NULL REFERENCES engagements(arn) ON DELETE CASCADE,
    contact_arn    TEXT NOT NULL,
    incident_id    TEXT,
    accept_code    TEXT NOT NULL,
    created_us     INTEGER NOT NULL,
    sent_us        INTEGER,
    delivery_us    INTEGER,
    read_us        INTEGER
);
CREATE INDEX pages_by_contact ON pages (contact_arn, created_us);
CREATE INDEX pages_by_engagement ON pages (engagement_arn, created_us);

CREATE TABLE page_receipts (
    id          INTEGER PRIMARY KEY,
    page_arn    TEXT NOT NULL REFERENCES pages(arn) ON DELETE CASCADE,
    channel_arn TEXT,
    type        TEXT NOT NULL,           -- DELIVERED | ERROR | READ | SENT | STOP
    info        TEXT,
    time_us     INTEGER NOT NULL
);
CREATE INDEX receipts_by_page ON page_receipts (page_arn, id);

CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    message_id          TEXT NOT NULL UNIQUE,   -- idempotency key / Message-ID, stable across retries
    channel_type        TEXT NOT NULL,          -- EMAIL | SMS | VOICE | WEBHOOK
    rate_key            TEXT NOT NULL,          -- sha256(channel type + address): rate limiting
    address_enc         TEXT NOT NULL,
    kind                TEXT NOT NULL,          -- page | activation | bundle
    subject             TEXT NOT NULL,
    body                TEXT NOT NULL,
    short_body          TEXT NOT NULL,
    contact_arn         TEXT,
    channel_arn         TEXT,
    engagement_arn      TEXT,
    page_arn            TEXT,
    incident_arn        TEXT,
    accept_code         TEXT,                   -- page accept code / activation code (voice reads it)
    retry_interval_s    INTEGER,
    status              TEXT NOT NULL,          -- pending | held | sending | sent | failed | bundled
    attempts            INTEGER NOT NULL DEFAULT 0,
    unknown_outcomes    INTEGER NOT NULL DEFAULT 0,
    deadline_us         INTEGER,
    provider            TEXT,
    provider_message_id TEXT,
    last_error          TEXT,
    bundle_id           INTEGER,                -- the bundle message that carried a held one
    created_us          INTEGER NOT NULL,
    sent_us             INTEGER
);
CREATE INDEX outbox_by_status ON outbox (status, id);
CREATE INDEX outbox_by_rate ON outbox (rate_key, status, created_us);
CREATE INDEX outbox_by_engagement ON outbox (engagement_arn, id);
CREATE INDEX outbox_by_time ON outbox (created_us, id);

CREATE TABLE outbox_attempts (
    id        INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    time_us   INTEGER NOT NULL,
    outcome   TEXT NOT NULL,                   -- sent | retry | failed | unknown
    detail    TEXT
);
CREATE INDEX attempts_by_message ON outbox_attempts (outbox_id, id);
