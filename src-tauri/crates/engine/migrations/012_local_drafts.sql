-- 012: drafts being written in the app, saved every few seconds: a closed window or a
-- crash never loses one. The draft is the JSON of api::Draft; a row leaves when the
-- draft is queued (the outbox then holds it) or discarded.
CREATE TABLE local_drafts (
    key           TEXT    NOT NULL PRIMARY KEY,
    account_email TEXT    NOT NULL,
    draft         TEXT    NOT NULL,
    saved_at      INTEGER NOT NULL
) STRICT;
