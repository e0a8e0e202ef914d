-- Contacts (PERSONAL, ESCALATION, ONCALL_SCHEDULE), their channels with activation state,
-- rotations and overrides, and contact resource policies. Tags live in `tags`.
-- Channel addresses are stored encrypted (Fernet, the workspace key; see core/security/keys.py).

CREATE TABLE contacts (
    arn          TEXT PRIMARY KEY,
    alias        TEXT NOT NULL UNIQUE,
    display_name TEXT,
    type         TEXT NOT NULL,
    doc          TEXT NOT NULL,          -- {"Plan": {...}} and anything else GetContact returns
    created_us   INTEGER NOT NULL
);

CREATE TABLE contact_channels (
    arn               TEXT PRIMARY KEY,
    contact_arn       TEXT NOT NULL REFERENCES contacts(arn) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL,     -- SMS | VOICE | EMAIL
    address_enc       TEXT NOT NULL,     -- Fernet token of DeliveryAddress.SimpleAddress
    activation_status TEXT NOT NULL DEFAULT 'NOT_ACTIVATED',  -- or ACTIVATED
    code_hash         TEXT,              -- sha256 of the pending activation code
    code_expires_us   INTEGER,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,
    locked            INTEGER NOT NULL DEFAULT 0,
    created_us        INTEGER NOT NULL
);
CREATE INDEX channels_by_contact ON contact_channels (contact_arn, created_us);

CREATE TABLE rotations (
    arn        TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    doc        TEXT NOT NULL,            -- ContactIds, StartTime, TimeZoneId, Recurrence
    created_us INTEGER NOT NULL
);

CREATE TABLE rotation_overrides (
    id           TEXT PRIMARY KEY,
    rotation_arn TEXT NOT NULL REFERENCES rotations(arn) ON DELETE CASCADE,
    new_members  TEXT NOT NULL,          -- JSON list of contact ARNs
    start_us     INTEGER NOT NULL,
    end_us       INTEGER NOT NULL,
    created_us   INTEGER NOT NULL
);
CREATE INDEX overrides_by_rotation ON rotation_overrides (rotation_arn, start_us);

CREATE TABLE contact_policies (
    arn    TEXT PRIMARY KEY,
    policy TEXT NOT NULL
);

-- Extensions (contacts area).
-- A channel's name is unique within its contact (CreateContactChannel answers ConflictException).
CREATE UNIQUE INDEX channels_name_per_contact ON contact_channels (contact_arn, name);
-- When the pending activation code was sent (SendActivationCode bookkeeping).
ALTER TABLE contact_channels ADD COLUMN code_sent_us INTEGER;
-- Paging and filtering of ListContacts by type.
CREATE INDEX contacts_by_type ON contacts (type, alias);
