-- Runbooks (SSM Automation documents, schemaVersion 0.3) with their versions, and their
-- executions: an execution keeps a copy of the document version it started with (so an update
-- or a delete never changes a running execution), and one row per step run (a step run again
-- through a loop or a retry is a new row or a new attempt). Sleeps and timeouts are timers; an
-- execution goes with its incident (its timers then find nothing to do).

CREATE TABLE runbooks (
    name           TEXT PRIMARY KEY,
    arn            TEXT NOT NULL UNIQUE,
    latest_version INTEGER NOT NULL,
    created_us     INTEGER NOT NULL,
    updated_us     INTEGER NOT NULL
);

CREATE TABLE runbook_versions (
    name       TEXT NOT NULL REFERENCES runbooks(name) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    format     TEXT NOT NULL,
    content    TEXT NOT NULL,
    doc        TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE runbook_executions (
    id              TEXT PRIMARY KEY,
    arn             TEXT NOT NULL UNIQUE,
    incident_arn    TEXT NOT NULL REFERENCES incidents(arn) ON DELETE CASCADE,
    runbook_name    TEXT NOT NULL,
    runbook_version INTEGER NOT NULL,
    doc             TEXT NOT NULL,
    parameters      TEXT NOT NULL,
    outputs         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL,
    current_step    TEXT,
    failed_critical INTEGER NOT NULL DEFAULT 0,
    failure         TEXT,
    role_arn        TEXT,
    started_by      TEXT NOT NULL,
    started_us      INTEGER NOT NULL,
    ended_us        INTEGER
);
CREATE INDEX runbook_executions_by_incident ON runbook_executions (incident_arn, started_us);

CREATE TABLE runbook_steps (
    execution_id TEXT NOT NULL REFERENCES runbook_executions(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    step_name    TEXT NOT NULL,
    action       TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempt      INTEGER NOT NULL DEFAULT 1,
    inputs       TEXT NOT NULL DEFAULT '{}',
    outputs      TEXT NOT NULL DEFAULT '{}',
    approvals    TEXT NOT NULL DEFAULT '[]',
    failure      TEXT,
    started_us   INTEGER NOT NULL,
    due_us       INTEGER,
    ended_us     INTEGER,
    PRIMARY KEY (execution_id, seq)
);
CREATE INDEX runbook_steps_running ON runbook_steps (status) WHERE status = 'InProgress';
