-- 019: the address book that completion draws on (`contacts`): who you write to and who
-- writes to you, learned from mail; see engine/src/contacts/mod.rs for the weights, the
-- decay and what is never learned.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    -- Lower-cased: one contact whatever case an address was written in.
    address     TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL DEFAULT '',
    -- The name came from a message you wrote (it then beats the name senders give themselves).
    name_sent   INTEGER NOT NULL DEFAULT 0,
    sent        INTEGER NOT NULL DEFAULT 0,
    replied     INTEGER NOT NULL DEFAULT 0,
    received    INTEGER NOT NULL DEFAULT 0,
    last_at     INTEGER NOT NULL DEFAULT 0,
    -- log2 of the decayed score, anchored in time (contacts/rank.rs): ordering by it is
    -- ordering by the score as of any moment, so it can be indexed.
    rank        REAL    NOT NULL DEFAULT 0,
    -- When the user forgot it: hidden, and nothing learned before or received after brings
    -- it back; mail you write to the address later does.
    forgotten_at INTEGER
) STRICT;
CREATE INDEX contacts_by_rank ON contacts (rank DESC) WHERE forgotten_at IS NULL;

-- Each contact's words, accent-folded and lower-cased (name words, the address, its local
-- part and domain): completion is a prefix range on this index.
CREATE TABLE contact_terms (
    term        TEXT    NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (term, contact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_terms_by_contact ON contact_terms (contact_id, term);

-- How far each account's cached mail has been read for contacts (the largest cache id).
CREATE TABLE contact_scans (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    last_message_id INTEGER NOT NULL
) STRICT;
