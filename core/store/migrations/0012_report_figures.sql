-- The figures reports read, kept beside the records they come from. Triggers keep them in the
-- same transaction as every change to an incident or engagement (whoever writes it), and the
-- rows that exist already are filled in below, so a report (core/analysis/reports.py) is a few
-- indexed scans instead of a join of every incident with its engagements.
--
-- incidents.engaged_us / acked_us: MIN(start_us) / MIN(acked_us) over the incident's engagements
-- started at or after it, the first engagement and acknowledgement of its key moments
-- (core/analysis/moments.py). incident_responders: the same per
-- personal contact engaged for an incident, with the incident's start and resolved times.
-- (An incident's creation_us never changes; its resolved_us is copied when it does.)

ALTER TABLE incidents ADD COLUMN engaged_us INTEGER;
ALTER TABLE incidents ADD COLUMN acked_us INTEGER;

CREATE TABLE incident_responders (
    incident_arn TEXT NOT NULL REFERENCES incidents(arn) ON DELETE CASCADE,
    contact_arn  TEXT NOT NULL,
    creation_us  INTEGER NOT NULL,       -- the incident's
    resolved_us  INTEGER,                -- the incident's
    engaged_us   INTEGER NOT NULL,       -- this contact's first engagement for it
    acked_us     INTEGER,                -- this contact's first acknowledgement
    PRIMARY KEY (incident_arn, contact_arn)
) WITHOUT ROWID;

DROP INDEX incidents_for_reports;
CREATE INDEX incidents_for_reports ON incidents
    (creation_us, impact, response_plan_arn, engaged_us, acked_us, resolved_us);
CREATE INDEX responders_for_reports ON incident_responders
    (creation_us, contact_arn, engaged_us, acked_us, resolved_us);

UPDATE incidents SET (engaged_us, acked_us) = (
    SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
    WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us);
INSERT INTO incident_responders
    SELECT i.arn, e.contact_arn, i.creation_us, i.resolved_us, MIN(e.start_us), MIN(e.acked_us)
    FROM engagements e JOIN incidents i ON i.arn = e.incident_id
    WHERE e.contact_type = 'PERSONAL' AND e.start_us >= i.creation_us
    GROUP BY i.arn, e.contact_arn;

-- Each trigger recomputes the figures of the incident (and contact) a change touches from the
-- engagement records, writing only when they differ.

CREATE TRIGGER report_engagement_added AFTER INSERT ON engagements WHEN NEW.incident_id IS NOT NULL
BEGIN
    UPDATE incidents SET (engaged_us, acked_us) = (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us)
    WHERE arn = NEW.incident_id AND (engaged_us, acked_us) IS NOT (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us);
    DELETE FROM incident_responders WHERE incident_arn = NEW.incident_id AND contact_arn = NEW.contact_arn;
    INSERT INTO incident_responders
        SELECT i.arn, e.contact_arn, i.creation_us, i.resolved_us, MIN(e.start_us), MIN(e.acked_us)
        FROM incidents i JOIN engagements e ON e.incident_id = i.arn
        WHERE i.arn = NEW.incident_id AND e.contact_arn = NEW.contact_arn AND e.contact_type = 'PERSONAL'
          AND e.start_us >= i.creation_us
        GROUP BY e.contact_arn;
END;

CREATE TRIGGER report_engagement_changed
AFTER UPDATE OF incident_id, contact_arn, contact_type, start_us, acked_us ON engagements
BEGIN
    UPDATE incidents SET (engaged_us, acked_us) = (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us)
    WHERE arn IN (OLD.incident_id, NEW.incident_id) AND (engaged_us, acked_us) IS NOT (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us);
    DELETE FROM incident_responders WHERE incident_arn = OLD.incident_id AND contact_arn = OLD.contact_arn;
    DELETE FROM incident_responders WHERE incident_arn = NEW.incident_id AND contact_arn = NEW.contact_arn;
    INSERT INTO incident_responders
        SELECT i.arn, e.contact_arn, i.creation_us, i.resolved_us, MIN(e.start_us), MIN(e.acked_us)
        FROM incidents i JOIN engagements e ON e.incident_id = i.arn
        WHERE i.arn = OLD.incident_id AND e.contact_arn = OLD.contact_arn AND e.contact_type = 'PERSONAL'
          AND e.start_us >= i.creation_us AND (OLD.incident_id, OLD.contact_arn) IS NOT (NEW.incident_id, NEW.contact_arn)
        GROUP BY e.contact_arn;
    INSERT INTO incident_responders
        SELECT i.arn, e.contact_arn, i.creation_us, i.resolved_us, MIN(e.start_us), MIN(e.acked_us)
        FROM incidents i JOIN engagements e ON e.incident_id = i.arn
        WHERE i.arn = NEW.incident_id AND e.contact_arn = NEW.contact_arn AND e.contact_type = 'PERSONAL'
          AND e.start_us >= i.creation_us
        GROUP BY e.contact_arn;
END;

CREATE TRIGGER report_engagement_removed AFTER DELETE ON engagements WHEN OLD.incident_id IS NOT NULL
BEGIN
    UPDATE incidents SET (engaged_us, acked_us) = (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us)
    WHERE arn = OLD.incident_id AND (engaged_us, acked_us) IS NOT (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us);
    DELETE FROM incident_responders WHERE incident_arn = OLD.incident_id AND contact_arn = OLD.contact_arn;
    INSERT INTO incident_responders
        SELECT i.arn, e.contact_arn, i.creation_us, i.resolved_us, MIN(e.start_us), MIN(e.acked_us)
        FROM incidents i JOIN engagements e ON e.incident_id = i.arn
        WHERE i.arn = OLD.incident_id AND e.contact_arn = OLD.contact_arn AND e.contact_type = 'PERSONAL'
          AND e.start_us >= i.creation_us
        GROUP BY e.contact_arn;
END;

-- an incident given engagements before it existed (StartEngagement takes any incident id)
CREATE TRIGGER report_incident_added AFTER INSERT ON incidents
WHEN EXISTS (SELECT 1 FROM engagements WHERE incident_id = NEW.arn)
BEGIN
    UPDATE incidents SET (engaged_us, acked_us) = (
        SELECT MIN(e.start_us), MIN(e.acked_us) FROM engagements e
        WHERE e.incident_id = incidents.arn AND e.start_us >= incidents.creation_us)
    WHERE arn = NEW.arn;
    INSERT INTO incident_responders
        SELECT i.arn, e.contact_arn, i.creation_us, i.resolved_us, MIN(e.start_us), MIN(e.acked_us)
        FROM incidents i JOIN engagements e ON e.incident_id = i.arn
        WHERE i.arn = NEW.arn AND e.contact_type = 'PERSONAL' AND e.start_us >= i.creation_us
        GROUP BY e.contact_arn;
END;

CREATE TRIGGER report_incident_resolved AFTER UPDATE OF resolved_us ON incidents
WHEN OLD.resolved_us IS NOT NEW.resolved_us
BEGIN
    UPDATE incident_responders SET resolved_us = NEW.resolved_us WHERE incident_arn = NEW.arn;
END;
