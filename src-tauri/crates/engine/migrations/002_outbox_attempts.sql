-- 002: what exactly-once sending needs to survive a crash, and the per-attempt trace.

-- Set just before the message bytes go out (DATA). A row found in 'sending' at start-up
-- with data_started = 0 never reached the server and is safe to send again; with 1 it
-- may have been delivered and is never resent blindly.
ALTER TABLE outbox ADD COLUMN data_started INTEGER NOT NULL DEFAULT 0;

-- Who files the copy in Sent: we APPEND it, or the provider does (Gmail, Outlook).
ALTER TABLE accounts ADD COLUMN sent_copy TEXT NOT NULL DEFAULT 'append'
    CHECK (sent_copy IN ('append', 'provider'));

-- One row per attempt, written before the attempt starts; the trace is the readable
-- conversation, secrets redacted.
CREATE TABLE outbox_attempts (
    id          INTEGER PRIMARY KEY,
    outbox_id   INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    outcome     TEXT    NOT NULL DEFAULT '',
    trace       TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX outbox_attempts_by_message ON outbox_attempts (outbox_id, id);
