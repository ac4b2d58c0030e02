-- 001: the first schema. Secrets never live here: accounts hold ids and server names only;
-- passwords and tokens are in the OS keychain.

CREATE TABLE accounts (
    id                 INTEGER PRIMARY KEY,
    email              TEXT    NOT NULL UNIQUE,
    display_name       TEXT    NOT NULL DEFAULT '',
    username           TEXT    NOT NULL,
    incoming_protocol  TEXT    NOT NULL DEFAULT 'imap' CHECK (incoming_protocol IN ('imap', 'pop3')),
    incoming_host      TEXT    NOT NULL,
    incoming_port      INTEGER NOT NULL,
    incoming_security  TEXT    NOT NULL CHECK (incoming_security IN ('tls', 'starttls')),
    smtp_host          TEXT    NOT NULL,
    smtp_port          INTEGER NOT NULL,
    smtp_security      TEXT    NOT NULL CHECK (smtp_security IN ('tls', 'starttls')),
    -- An extra trust anchor (PEM file) on top of the OS store: self-hosted servers, tests.
    ca_file            TEXT,
    created_at         INTEGER NOT NULL
) STRICT;

CREATE TABLE folders (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL, -- the server's name, as on the wire
    role           TEXT,             -- inbox, sent, drafts, trash, junk, archive, all
    uidvalidity    INTEGER NOT NULL DEFAULT 0,
    uidnext        INTEGER NOT NULL DEFAULT 0,
    highestmodseq  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, name)
) STRICT;

CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    folder_id      INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
    uid            INTEGER NOT NULL,
    modseq         INTEGER NOT NULL DEFAULT 0,
    flags          TEXT    NOT NULL DEFAULT '', -- space-separated IMAP flags and keywords
    seen           INTEGER NOT NULL DEFAULT 0,
    flagged        INTEGER NOT NULL DEFAULT 0,
    message_id     TEXT,
    in_reply_to    TEXT,
    refs           TEXT    NOT NULL DEFAULT '', -- References, space-separated ids
    subject        TEXT    NOT NULL DEFAULT '',
    from_name      TEXT,
    from_addr      TEXT    NOT NULL DEFAULT '',
    to_addrs       TEXT    NOT NULL DEFAULT '',
    cc_addrs       TEXT    NOT NULL DEFAULT '',
    date           INTEGER NOT NULL DEFAULT 0, -- Date header, unix seconds UTC
    internal_date  INTEGER NOT NULL DEFAULT 0,
    size           INTEGER NOT NULL DEFAULT 0,
    thread_id      INTEGER,
    UNIQUE (folder_id, uid)
) STRICT;

CREATE INDEX messages_by_date ON messages (date DESC);
CREATE INDEX messages_by_folder_date ON messages (folder_id, date DESC);
CREATE INDEX messages_by_message_id ON messages (message_id);

CREATE TABLE bodies (
    message_id  INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    raw         BLOB    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    html        TEXT
) STRICT;

-- All mail leaves through this table. A row is written, with the complete MIME and a fixed
-- Message-ID, before any network I/O; `attempts` is counted before each attempt starts.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    message_id       TEXT    NOT NULL UNIQUE,
    mail_from        TEXT    NOT NULL,
    rcpt_to          TEXT    NOT NULL, -- JSON array of addresses
    mime             BLOB    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'accepted', 'copied_to_sent', 'failed', 'uncertain')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    results          TEXT    NOT NULL DEFAULT '[]', -- JSON: per-recipient code, status, text
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX outbox_by_state ON outbox (account_id, state, next_attempt_at);

-- Full-text index; rowid = messages.id. Contentless: the text lives in messages/bodies.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    subject, addresses, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
