-- Foundation: workspace metadata, replication set, response plans, incidents, timeline,
-- related items, tags, idempotency tokens, the audit trail and durable timers.
-- Timestamps are INTEGER microseconds since the epoch (UTC); documents are JSON text.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE replication_sets (
    arn  TEXT PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE regions (
    name           TEXT PRIMARY KEY,
    status         TEXT NOT NULL,
    sse_kms_key_id TEXT NOT NULL,
    status_message TEXT,
    added_us       INTEGER NOT NULL,
    updated_us     INTEGER NOT NULL
);

CREATE TABLE response_plans (
    arn        TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    doc        TEXT NOT NULL,
    created_us INTEGER NOT NULL
);

CREATE TABLE incidents (
    id                INTEGER PRIMARY KEY,
    arn               TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    impact            INTEGER NOT NULL,
    status            TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    creation_us       INTEGER NOT NULL,
    resolved_us       INTEGER,
    dedupe_string     TEXT,
    response_plan_arn TEXT,
    doc               TEXT NOT NULL
);
CREATE INDEX incidents_by_time ON incidents (creation_us DESC, id DESC);
CREATE INDEX incidents_by_status ON incidents (status, creation_us DESC, id DESC);
CREATE INDEX incidents_by_impact ON incidents (impact, creation_us DESC, id DESC);
CREATE INDEX incidents_by_creator ON incidents (created_by, creation_us DESC, id DESC);
CREATE INDEX incidents_open_dedupe ON incidents (dedupe_string) WHERE status = 'OPEN';

CREATE TABLE timeline_events (
    id           INTEGER PRIMARY KEY,
    event_id     TEXT NOT NULL UNIQUE,
    incident_arn TEXT NOT NULL REFERENCES incidents(arn) ON DELETE CASCADE,
    event_us     INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL,
    event_type   TEXT NOT NULL,
    is_custom    INTEGER NOT NULL,
    event_data   TEXT NOT NULL,
    refs         TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX timeline_by_incident ON timeline_events (incident_arn, event_us, id);

CREATE TABLE related_items (
    id           INTEGER PRIMARY KEY,
    incident_arn TEXT NOT NULL REFERENCES incidents(arn) ON DELETE CASCADE,
    item_type    TEXT NOT NULL,
    item_value   TEXT NOT NULL,
    generated_id TEXT,
    doc          TEXT NOT NULL
);
CREATE INDEX related_by_incident ON related_items (incident_arn, id);

CREATE TABLE tags (
    resource_arn TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (resource_arn, key)
);

CREATE TABLE idempotency (
    operation    TEXT NOT NULL,
    token        TEXT NOT NULL,
    principal    TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_us   INTEGER NOT NULL,
    PRIMARY KEY (operation, principal, token)
);

CREATE TABLE audit (
    id            INTEGER PRIMARY KEY,
    time_us       INTEGER NOT NULL,
    operation     TEXT NOT NULL,
    principal     TEXT NOT NULL,
    origin        TEXT NOT NULL,
    resource_arn  TEXT,
    params        TEXT NOT NULL,
    result        TEXT NOT NULL,
    error_message TEXT
);
CREATE INDEX audit_by_time ON audit (time_us, id);
CREATE INDEX audit_by_operation ON audit (operation, time_us, id);
CREATE INDEX audit_by_principal ON audit (principal, time_us, id);
CREATE INDEX audit_by_resource ON audit (resource_arn, time_us, id);

CREATE TABLE timers (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    due_us     INTEGER NOT NULL,
    payload    TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    dedupe_key TEXT,
    last_error TEXT,
    created_us INTEGER NOT NULL
);
CREATE INDEX timers_due ON timers (state, due_us, id);
CREATE UNIQUE INDEX timers_dedupe ON timers (dedupe_key) WHERE dedupe_key IS NOT NULL AND state = 'pending';
