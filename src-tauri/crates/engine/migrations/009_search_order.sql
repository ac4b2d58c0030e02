-- 009: the search index is keyed by date, so "newest first" is the index's own order: a
-- search reads matches from the newest down and stops at the limit, however common the
-- word. fts_key = (date << 20) | (id & 0xFFFFF): unique (ids differ in their low 20 bits
-- within any one second but for a million-id wrap, which insert resolves by stepping).
ALTER TABLE messages ADD COLUMN fts_key INTEGER;
UPDATE messages SET fts_key = (date << 20) | (id & 1048575);
CREATE UNIQUE INDEX messages_by_fts_key ON messages (fts_key);
DELETE FROM messages_fts;
INSERT INTO messages_fts (rowid, subject, addresses, body)
    SELECT m.fts_key, m.subject,
           coalesce(m.from_name, '') || ' ' || m.from_addr || ' ' || m.to_addrs || ' ' || m.cc_addrs,
           b.text
    FROM messages m JOIN bodies b ON b.message_id = m.id;
