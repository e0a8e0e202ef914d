-- Post-incident analyses: templates teams write (the standard one lives in code), analyses
-- built from a resolved incident, each analysis's own editable copy of the incident's timeline,
-- and its action items (recommended or custom; dismissed ones are kept).

CREATE TABLE analysis_templates (
    name       TEXT PRIMARY KEY,
    arn        TEXT NOT NULL UNIQUE,
    doc        TEXT NOT NULL,            -- description, sections, questions, checklist
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL
);

CREATE TABLE analyses (
    id           INTEGER PRIMARY KEY,
    analysis_id  TEXT NOT NULL UNIQUE,
    arn          TEXT NOT NULL UNIQUE,
    incident_arn TEXT NOT NULL,          -- kept when the incident is deleted: the analysis holds its properties
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,          -- OPEN | CLOSED
    created_us   INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL,
    doc          TEXT NOT NULL           -- properties, overview, key moments, questions, checklist, sections
);
CREATE INDEX analyses_by_time ON analyses (created_us DESC, id DESC);
CREATE INDEX analyses_by_incident ON analyses (incident_arn);

CREATE TABLE analysis_timeline (
    id           INTEGER PRIMARY KEY,
    event_id     TEXT NOT NULL UNIQUE,
    analysis_arn TEXT NOT NULL REFERENCES analyses(arn) ON DELETE CASCADE,
    event_us     INTEGER NOT NULL,
    event_type   TEXT NOT NULL,
    event_data   TEXT NOT NULL,
    copied_from  TEXT                    -- the incident timeline event it started as (NULL: added here)
);
CREATE INDEX analysis_timeline_by_analysis ON analysis_timeline (analysis_arn, event_us, id);

CREATE TABLE action_items (
    id           INTEGER PRIMARY KEY,
    item_id      TEXT NOT NULL UNIQUE,
    analysis_arn TEXT NOT NULL REFERENCES analyses(arn) ON DELETE CASCADE,
    source       TEXT NOT NULL,          -- RECOMMENDED | CUSTOM
    rule         TEXT,                   -- what recommended it (one item per rule and analysis)
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    status       TEXT NOT NULL,          -- RECOMMENDED | ACCEPTED | COMPLETED | DISMISSED
    created_us   INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL
);
CREATE INDEX action_items_by_analysis ON action_items (analysis_arn, id);
CREATE UNIQUE INDEX action_items_rule ON action_items (analysis_arn, rule) WHERE rule IS NOT NULL;

-- Reports (core/analysis/reports.py) read these columns for a whole period from the indexes alone.
CREATE INDEX incidents_for_reports ON incidents (creation_us, resolved_us, impact, response_plan_arn, arn);
CREATE INDEX engagements_for_reports ON engagements (incident_id, contact_arn, contact_type, start_us, acked_us);
CREATE INDEX pages_for_reports ON pages (created_us, contact_arn);
