-- 011: sender trust (issue 9). A message's checks (the provider's Authentication-Results
-- or local DKIM/SPF/DMARC) are made when it is first opened and kept here, so DNS is asked
-- once per message; look-alike warnings are not kept (they depend on the contacts of the
-- day and cost no network). `version` is the verdict format: another one is recomputed.
CREATE TABLE message_trust (
    message_id  INTEGER NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    verdict     TEXT    NOT NULL, -- JSON of api::TrustVerdict, warnings empty
    checked_at  INTEGER NOT NULL
) STRICT;

-- The authserv-id of the account's provider: set by the user, or learned from the
-- account's INBOX (see trust/authres.rs for the rule).
ALTER TABLE accounts ADD COLUMN authserv_id TEXT;
ALTER TABLE accounts ADD COLUMN authserv_id_learned TEXT;
