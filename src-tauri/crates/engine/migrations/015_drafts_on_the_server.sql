-- 015: drafts are copied to the account's Drafts folder too (imap/drafts.rs), so a
-- message being written shows on the user's other devices. `uploaded_at` is the
-- `saved_at` of the version the server has (NULL: none yet). A draft that leaves (sent or
-- discarded) after it was uploaded waits in drafts_to_remove until its server copies are
-- deleted; they are found by their X-Courriel-Draft header, so no UID is kept here.
ALTER TABLE local_drafts ADD COLUMN uploaded_at INTEGER;
CREATE TABLE drafts_to_remove (
    account_email TEXT NOT NULL,
    key           TEXT NOT NULL,
    PRIMARY KEY (account_email, key)
) STRICT;
