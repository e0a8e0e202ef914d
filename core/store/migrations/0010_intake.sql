-- Alert intake: integrations (a monitoring source posting to /intake/{id}), the intake log
-- (every accepted payload, written before the 2xx, with its outcome or its error), and the
-- alerts the Opsgenie-compatible API tracks (id, tiny id, alias, acknowledged, closed).

CREATE TABLE integrations (
    id         TEXT PRIMARY KEY,          -- the id in the intake URL
    arn        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,             -- cloudwatch-sns | eventbridge | alertmanager | grafana | opsgenie | generic
    token_hash TEXT NOT NULL,             -- sha256 of the token; the token itself is shown once
    doc        TEXT NOT NULL,             -- routing, options, generic mapping
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL
);

CREATE UNIQUE INDEX integrations_by_token ON integrations (token_hash);  -- the Opsgenie API's GenieKey

CREATE TABLE intake_events (
    id             INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE,  -- also the Opsgenie API's requestId
    integration_id TEXT NOT NULL,
    received_us    INTEGER NOT NULL,
    action         TEXT NOT NULL,         -- alert | opsgenie-create | opsgenie-acknowledge | opsgenie-close | sns-subscription
    target         TEXT,                  -- the Opsgenie alert identifier an acknowledge/close names
    payload        TEXT NOT NULL,
    status         TEXT NOT NULL,         -- received | processed | failed
    outcome        TEXT,                  -- JSON: what each alert did (started, joined, resolved...)
    error          TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    processed_us   INTEGER
);
CREATE INDEX intake_events_by_integration ON intake_events (integration_id, id DESC);
CREATE INDEX intake_events_pending ON intake_events (status) WHERE status = 'received';

CREATE TABLE intake_alerts (
    id             TEXT PRIMARY KEY,
    tiny_id        INTEGER NOT NULL UNIQUE,
    integration_id TEXT NOT NULL,
    alias          TEXT NOT NULL,
    incident_arn   TEXT,
    status         TEXT NOT NULL,         -- open | closed
    acknowledged   INTEGER NOT NULL DEFAULT 0,
    count          INTEGER NOT NULL DEFAULT 1,
    doc            TEXT NOT NULL,         -- message, description, tags, details, entity, source, priority
    created_us     INTEGER NOT NULL,
    updated_us     INTEGER NOT NULL
);
CREATE UNIQUE INDEX intake_alerts_open_alias ON intake_alerts (integration_id, alias) WHERE status = 'open';
