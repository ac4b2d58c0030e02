-- 004: an explicit per-account "plaintext, no authentication" setting for a local relay
-- (port 25 on the LAN or this machine). Off by default; when on, no TLS and never AUTH.
ALTER TABLE accounts ADD COLUMN smtp_plaintext_no_auth INTEGER NOT NULL DEFAULT 0;
