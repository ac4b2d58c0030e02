-- 017: the user's settings, one row each (name, JSON value), in the database like the
-- rest of what Courriel remembers. They lived in three places before: `desktop.json` and
-- `notifications.json` in the app's configuration directory and the page's localStorage
-- (the undo window), so the CLI could not see them and a second profile
-- (`COURRIEL_DATA_DIR`) shared the first one's. A name this build does not know is kept
-- and ignored: an older Courriel reading a newer one's settings loses nothing.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
