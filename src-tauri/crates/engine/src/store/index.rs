//! The full-text index (FTS5, contentless): what goes in, and when.
//!
//! A sync caches messages with `indexed = 0` and leaves them to [`Store::index_pending`],
//! which indexes the newest first in large batches once the mail is in (migration 013):
//! tokenizing bodies and merging index segments is most of what caching costs, and doing
//! it batch by batch inside the sync made the mail wait for the index. Until a message is
//! indexed, search does not find it; the engine runs the indexer right after each sync.
//!
//! An entry's rowid is the message's `fts_key`, which sorts by date (migration 009), so
//! searches read newest first and stop at their limit.

use rusqlite::{params, Transaction};

use super::Store;
use crate::error::{Context, Result};

/// What one message puts in the index.
pub(crate) struct Entry<'a> {
    pub id: i64,
    pub date: i64,
    pub subject: &'a str,
    /// Names and addresses of the sender and recipients, space-separated.
    pub addresses: &'a str,
    pub body: &'a str,
}

impl Store {
    /// Index up to `limit` of the messages a sync cached without indexing, newest first,
    /// in one transaction. Returns how many were indexed: 0 when none is left.
    pub fn index_pending(&self, limit: u32) -> Result<u32> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let pending: Vec<(i64, i64, String, String, String)> = tx
            .prepare_cached(
                "SELECT m.id, m.date, m.subject,
                        coalesce(m.from_name, '') || ' ' || m.from_addr || ' ' || m.to_addrs
                            || ' ' || m.cc_addrs,
                        coalesce(b.text, '')
                 FROM messages m LEFT JOIN bodies b ON b.message_id = m.id
                 WHERE m.indexed = 0 ORDER BY m.date DESC LIMIT ?1",
            )?
            .query_map([limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()
            .context("reading the messages to index")?;
        for (id, date, subject, addresses, body) in &pending {
            let entry = Entry {
                id: *id,
                date: *date,
                subject,
                addresses,
                body,
            };
            index(&tx, &entry)?;
        }
        tx.commit().context("indexing messages for search")?;
        Ok(pending.len() as u32)
    }

    /// Fold the write-ahead log back into the database and empty it, after a large write:
    /// a first sync's indexing writes gigabytes through it, and SQLite otherwise keeps the
    /// log file at its largest size on disk.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .context("checkpointing the cache")
    }

    /// How many cached messages the index does not hold yet.
    pub fn pending_index(&self) -> Result<u32> {
        self.conn()
            .query_row("SELECT count(*) FROM messages WHERE indexed = 0", [], |r| {
                r.get(0)
            })
            .context("counting the messages to index")
    }
}

/// Put one message in the index (inside the caller's transaction) and mark it indexed.
pub(crate) fn index(tx: &Transaction<'_>, e: &Entry<'_>) -> Result<()> {
    let key = fts_key(tx, e.id, e.date)?;
    tx.prepare_cached(
        "INSERT INTO messages_fts (rowid, subject, addresses, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key, e.subject, e.addresses, e.body])?;
    tx.prepare_cached("UPDATE messages SET fts_key = ?2, indexed = 1 WHERE id = ?1")?
        .execute(params![e.id, key])?;
    Ok(())
}

/// Remove the message's index entry (before the message row goes, or before it is
/// indexed again). A message not indexed yet has none: nothing happens.
pub(crate) fn unindex(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM messages_fts WHERE rowid = (SELECT fts_key FROM messages WHERE id = ?1)",
    )?
    .execute([id])?;
    Ok(())
}

/// The message's index key: kept if it has one, else `(date << 20) | (id & 0xFFFFF)`,
/// stepped past a key already taken (two messages of the same second whose ids are a
/// multiple of 2^20 apart).
fn fts_key(tx: &Transaction<'_>, id: i64, date: i64) -> Result<i64> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT fts_key FROM messages WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if let Some(key) = existing {
        return Ok(key);
    }
    let mut key = (date << 20) | (id & 0xF_FFFF);
    while tx
        .prepare_cached("SELECT 1 FROM messages WHERE fts_key = ?1")?
        .exists([key])?
    {
        key += 1;
    }
    Ok(key)
}
