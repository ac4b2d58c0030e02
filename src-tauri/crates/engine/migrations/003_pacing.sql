-- 003: sending limits per account, kept across restarts.

-- Recipients handed to the server (RCPT TO) per transaction: the per-minute and per-day
-- windows are counted from here, so a restart does not reset them.
CREATE TABLE pacing (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    recipients  INTEGER NOT NULL
) STRICT;

CREATE INDEX pacing_by_account ON pacing (account_id, at);

-- 0 means the provider's default (smtp::pacing::defaults_for).
ALTER TABLE accounts ADD COLUMN per_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN per_day INTEGER NOT NULL DEFAULT 0;
-- After a 421 or a 4.7.x "slow down", the per-minute rate is halved until then.
ALTER TABLE accounts ADD COLUMN slowed_until INTEGER NOT NULL DEFAULT 0;
