-- 014: lists and counts answered from indexes, not by reading every message row. The
-- folders' unread counts (asked after every sync) and the unified inbox's ids read the
-- whole table before: with 100,000 cached messages that is the table's hundreds of MB
-- through SQLite's page cache, each time.
-- Unread mail by folder: the unread counts count this index.
CREATE INDEX messages_unread_by_folder ON messages (folder_id) WHERE seen = 0;
-- Mail with Gmail labels (All Mail): the unified inbox looks for \Inbox among these only.
CREATE INDEX messages_labelled ON messages (date DESC) WHERE labels != '';
