-- 021: a folder's list in order with each message's thread, from one index. The list
-- grouped by conversation (store/conversations.rs) reads (id, thread) for every message
-- of a folder in date order: from the (folder, date) index each message's row had to be
-- visited for its thread, and ties sorted on id: 63 ms at 100,000 messages, against 18 ms
-- from this index alone (release build, examples/list_timing.rs). It replaces the
-- (folder, date) index, whose uses it serves as well (the flat list: 24 ms before, 7 ms
-- now), so a write still updates as many indexes as before.
DROP INDEX messages_by_folder_date;
CREATE INDEX messages_by_folder_date_thread ON messages (folder_id, date DESC, id DESC, thread_id);
