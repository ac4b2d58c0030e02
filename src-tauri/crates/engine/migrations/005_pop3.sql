-- 005: POP3 accounts. One row per server message we have fetched, by UIDL, so a message
-- is fetched once across runs; written in the same transaction as the cached message,
-- so a cut in the middle of RETR leaves nothing behind and the next run fetches it again.
CREATE TABLE pop3_uids (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    uidl        TEXT    NOT NULL,
    -- NULL once the user deleted the message locally (for the "mirror" retention).
    message_id  INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    fetched_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, uidl)
) STRICT;

-- What happens to messages on the server: leave them (the default), delete them N days
-- after fetching, or delete them when they are deleted here.
ALTER TABLE accounts ADD COLUMN pop3_retention TEXT NOT NULL DEFAULT 'leave'
    CHECK (pop3_retention IN ('leave', 'days', 'mirror'));
ALTER TABLE accounts ADD COLUMN pop3_days INTEGER NOT NULL DEFAULT 14;
