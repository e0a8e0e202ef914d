-- Heartbeats (a ping expected every interval; a missed one starts an incident) and
-- maintenance windows (one-off or recurring by an RRULE in an IANA zone: incidents started
-- inside one are recorded but engage no one until it ends).

CREATE TABLE heartbeats (
    name         TEXT PRIMARY KEY,
    arn          TEXT NOT NULL UNIQUE,
    token_hash   TEXT NOT NULL,            -- sha256 of the ping token; the token is shown once
    doc          TEXT NOT NULL,            -- intervalSeconds, responsePlanArn, impact, resolveOnPing, description
    state        TEXT NOT NULL,            -- WAITING (no ping yet) | OK | MISSED
    last_ping_us INTEGER,
    deadline_us  INTEGER,                  -- when a ping is next due (the pending timer's due time)
    incident_arn TEXT,                     -- the incident the last miss started
    created_us   INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL
);

CREATE TABLE maintenance_windows (
    id         TEXT PRIMARY KEY,
    arn        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    doc        TEXT NOT NULL,              -- timeZone, start, end, recurrence, targets, description
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL
);

CREATE TABLE maintenance_window_targets (
    window_id  TEXT NOT NULL REFERENCES maintenance_windows (id) ON DELETE CASCADE,
    target_arn TEXT NOT NULL,              -- an integration, a response plan or a heartbeat
    PRIMARY KEY (target_arn, window_id)
);

-- Incidents a window held back: kept after release, so lists can mark them.
CREATE TABLE maintenance_holds (
    incident_arn TEXT PRIMARY KEY,
    window_id    TEXT NOT NULL,
    window_name  TEXT NOT NULL,
    held_us      INTEGER NOT NULL,
    until_us     INTEGER NOT NULL,         -- the window's end, when the release timer fires
    released_us  INTEGER
);
