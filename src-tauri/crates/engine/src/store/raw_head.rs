//! The start of a cached message's source: its header block, read without loading a large
//! message whole (the reader asks for the list headers of every message it opens).

use rusqlite::params;

use super::Store;
use crate::error::{Context, Result};

impl Store {
    /// The first `max` bytes of message `id`'s cached source.
    pub fn raw_head(&self, id: i64, max: usize) -> Result<Vec<u8>> {
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        self.conn()
            .query_row(
                "SELECT substr(raw, 1, ?2) FROM bodies WHERE message_id = ?1",
                params![id, max],
                |r| r.get(0),
            )
            .context("reading a message's headers")
    }
}
