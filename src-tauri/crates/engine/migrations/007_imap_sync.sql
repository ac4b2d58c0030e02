-- 007: IMAP sync proper. Bodies may arrive later than envelopes (a sync window), threads,
-- attachment metadata, Gmail labels, and local changes queued until the server has them.

-- 0 = only the headers are cached; the body is fetched on demand.
ALTER TABLE messages ADD COLUMN has_body INTEGER NOT NULL DEFAULT 1;
ALTER TABLE messages ADD COLUMN preview TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN list_id TEXT;
-- Kept whole for the sender-trust issue, which decides which ones to believe.
ALTER TABLE messages ADD COLUMN auth_results TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attachments INTEGER NOT NULL DEFAULT 0;
-- Gmail (X-GM-EXT-1): one cached message carries all its labels (space separated,
-- modified UTF-7 as on the wire) and Gmail's own thread id.
ALTER TABLE messages ADD COLUMN labels TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN gm_thrid INTEGER;
CREATE INDEX messages_by_thread ON messages (thread_id);
CREATE INDEX messages_by_account_date ON messages (account_id, date DESC);

-- Threading (JWZ's id table, kept incrementally): every Message-ID seen in a message's
-- own id, In-Reply-To or References points at its thread. A message joining ids of two
-- threads merges them.
CREATE TABLE thread_ids (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    ref         TEXT    NOT NULL,
    thread_id   INTEGER NOT NULL,
    PRIMARY KEY (account_id, ref)
) STRICT, WITHOUT ROWID;
CREATE INDEX thread_ids_by_thread ON thread_ids (thread_id);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    part        TEXT    NOT NULL, -- IMAP part number, "1.2"
    filename    TEXT    NOT NULL DEFAULT '',
    mime_type   TEXT    NOT NULL DEFAULT 'application/octet-stream',
    size        INTEGER NOT NULL DEFAULT 0,
    content_id  TEXT,
    inline      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX attachments_by_message ON attachments (message_id);

-- Local changes not yet on the server, replayed in id order. `modseq` is what the message
-- had when the user acted: the server refuses the change (UNCHANGEDSINCE) when another
-- device changed it since, and the server's newer state wins.
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    folder      TEXT    NOT NULL, -- the folder on the server that holds the message
    uid         INTEGER NOT NULL,
    modseq      INTEGER NOT NULL DEFAULT 0,
    action      TEXT    NOT NULL
        CHECK (action IN ('add_flags', 'remove_flags', 'move', 'expunge')),
    arg         TEXT    NOT NULL DEFAULT '', -- flags, or the target folder
    -- The cached row (moves: the row waits in the target under uid = -message until the
    -- server says its new UID; later changes to it name that placeholder).
    message     INTEGER,
    created_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
) STRICT;
CREATE INDEX changes_by_account ON changes (account_id, id);

-- Per-account sync settings: the body window in days (NULL: every body).
ALTER TABLE accounts ADD COLUMN body_window_days INTEGER DEFAULT 30;

-- The index again, with prefix indexes: search-as-you-type matches every word as a prefix.
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    subject, addresses, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO messages_fts (rowid, subject, addresses, body)
    SELECT m.id, m.subject,
           coalesce(m.from_name, '') || ' ' || m.from_addr || ' ' || m.to_addrs || ' ' || m.cc_addrs,
           b.text
    FROM messages m JOIN bodies b ON b.message_id = m.id;
-- Messages cached before threading each start their own thread.
UPDATE messages SET thread_id = id WHERE thread_id IS NULL;
