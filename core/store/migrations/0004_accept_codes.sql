-- Accept codes that cannot be guessed or leaked.
--
-- pages: the accept code is kept as an HMAC-SHA256 under a random per-page salt (what
-- AcceptPage and AcceptPageByCode compare, in constant time) and, while the page is open,
-- encrypted with the workspace key (later stages' messages carry it); code_enc is cleared
-- when the page is acknowledged or its engagement ends. Plain codes of pages made before this
-- migration are discarded: such a page is accepted by page (AcceptPage), not by code.
ALTER TABLE pages ADD COLUMN code_salt TEXT;
ALTER TABLE pages ADD COLUMN code_hash TEXT;
ALTER TABLE pages ADD COLUMN code_enc TEXT;
ALTER TABLE pages DROP COLUMN accept_code;

-- who accepted a page (principal ARN), and through which binding or channel
ALTER TABLE page_receipts ADD COLUMN principal_arn TEXT;
ALTER TABLE page_receipts ADD COLUMN via TEXT;

-- outbox: a message that carries a code (a page or an activation code) keeps its body, short
-- body and accept_code encrypted with the workspace key (sealed = 1). Finished messages no
-- longer need their code.
ALTER TABLE outbox ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET accept_code = NULL WHERE status NOT IN ('pending', 'held', 'sending');

-- wrong accept codes, counted per principal and per origin for the lockout
CREATE TABLE accept_code_failures (
    id            INTEGER PRIMARY KEY,
    principal_arn TEXT NOT NULL,
    origin        TEXT NOT NULL,
    time_us       INTEGER NOT NULL
);
CREATE INDEX accept_failures_by_principal ON accept_code_failures (principal_arn, time_us);
CREATE INDEX accept_failures_by_origin ON accept_code_failures (origin, time_us);
