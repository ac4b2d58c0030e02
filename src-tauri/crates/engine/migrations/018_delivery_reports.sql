-- 018: the delivery ledger. Bounces and delay reports found in synced mail (RFC 3464
-- reports and the common plain-text formats, read by `delivery`), each linked to the
-- outbox message it is about when it can be matched, with one row per recipient.
CREATE TABLE delivery_reports (
    -- The report itself, a message in the cache: gone with it.
    message_id          INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    account_id          INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    outbox_id           INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    matched_by          TEXT CHECK (matched_by IN ('envelope_id', 'message_id', 'references')),
    format              TEXT    NOT NULL,
    reporting_mta       TEXT,
    original_message_id TEXT,
    original_subject    TEXT,
    reported_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX delivery_reports_by_outbox ON delivery_reports (outbox_id);

CREATE TABLE delivery_fates (
    report_id   INTEGER NOT NULL REFERENCES delivery_reports (message_id) ON DELETE CASCADE,
    address     TEXT    NOT NULL,
    action      TEXT    NOT NULL
        CHECK (action IN ('failed', 'delayed', 'delivered', 'relayed', 'expanded')),
    status      TEXT,
    remote_mta  TEXT,
    diagnostic  TEXT,
    PRIMARY KEY (report_id, address)
) STRICT;

-- How far each account's synced mail has been read for reports (the largest cache id).
CREATE TABLE delivery_scans (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    last_message_id INTEGER NOT NULL
) STRICT;
