-- 013: the search index is built after the mail is cached, not inside each sync batch.
-- Indexing is most of what caching costs (tokenizing every body, merging index segments
-- batch after batch); done afterwards, in large batches, the mail is readable sooner and
-- the index is built once. `indexed` = 0 marks what the indexer still has to do; rows
-- cached before this migration are already in the index.
ALTER TABLE messages ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
CREATE INDEX messages_to_index ON messages (date DESC) WHERE indexed = 0;
