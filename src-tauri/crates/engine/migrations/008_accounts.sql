-- 008: how an account signs in (password or OAuth2, whose secrets live in the OS keychain,
-- never here), whether it needs the user to sign in again, where its settings came from,
-- and its identities (From addresses, each with a name and a signature).
ALTER TABLE accounts ADD COLUMN auth TEXT NOT NULL DEFAULT 'password'
    CHECK (auth IN ('password', 'oauth2'));
-- The OAuth2 provider's name (google, microsoft, or one from the config file).
ALTER TABLE accounts ADD COLUMN oauth_provider TEXT;
-- Set when the server or the provider refused the saved credential for good (revoked
-- token, changed password): the UI shows "needs sign-in" instead of retrying forever.
ALTER TABLE accounts ADD COLUMN needs_signin TEXT;
-- Where each setting came from (autoconfig source), for the user to see.
ALTER TABLE accounts ADD COLUMN settings_source TEXT NOT NULL DEFAULT 'entered by hand';

CREATE TABLE identities (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email       TEXT    NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    signature   TEXT    NOT NULL DEFAULT '',
    UNIQUE (account_id, email)
) STRICT;
