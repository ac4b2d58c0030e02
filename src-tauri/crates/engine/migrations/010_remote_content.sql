-- 010: senders whose remote content (images, styles, fonts) the user allowed always.
-- Lower-cased addresses; a message from anyone else shows remote content only when the
-- user allows it for that one message.
CREATE TABLE remote_content_senders (
    address    TEXT    NOT NULL PRIMARY KEY,
    allowed_at INTEGER NOT NULL
) STRICT;
