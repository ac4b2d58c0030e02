//! Message lists as ids, rows by id: what a list of 100,000 messages shows without
//! holding 100,000 summaries. The UI keeps a list's ids (newest first) and asks for the
//! summaries of the rows coming into view (`ui/src/lib/rows.ts`).

use rusqlite::params_from_iter;

use super::messages::{summary_from_row, SUMMARY};
use super::Store;
use crate::api::MessageSummary;
use crate::error::{Context, Result};

/// Rows asked for in one statement at most (SQLite's variable limit is far higher; a
/// screenful is a few dozen).
const PER_STATEMENT: usize = 500;

impl Store {
    /// The unified inbox's ids, newest first: every account's inbox (Gmail: the messages
    /// labelled \Inbox).
    pub fn inbox_ids(&self) -> Result<Vec<i64>> {
        let conn = self.conn();
        // From indexes: the inbox folders' (folder, date) index, and among labelled mail
        // (Gmail's All Mail, its own partial index) what carries \Inbox. Reading every
        // message row instead filled SQLite's page cache with the whole table.
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM (
                 SELECT m.id, m.date FROM messages m
                 WHERE m.folder_id IN (SELECT id FROM folders WHERE role = 'inbox')
                 UNION
                 SELECT m.id, m.date FROM messages m
                 WHERE m.labels != '' AND ' ' || m.labels || ' ' LIKE '% \\Inbox %')
             ORDER BY date DESC, id DESC",
        )?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        ids.collect::<rusqlite::Result<_>>()
            .context("listing the inbox")
    }

    /// A folder's ids, newest first.
    pub fn folder_ids(&self, folder_id: i64) -> Result<Vec<i64>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY date DESC, id DESC",
        )?;
        let ids = stmt.query_map([folder_id], |r| r.get(0))?;
        ids.collect::<rusqlite::Result<_>>()
            .context("listing a folder")
    }

    /// The summaries of `ids`, in that order; an id no longer cached is left out.
    pub fn summaries(&self, ids: &[i64]) -> Result<Vec<MessageSummary>> {
        let conn = self.conn();
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(PER_STATEMENT) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt = conn.prepare(&format!("{SUMMARY} WHERE m.id IN ({marks})"))?;
            let rows = stmt.query_map(params_from_iter(chunk), summary_from_row)?;
            for row in rows {
                let row = row.context("reading message rows")?;
                found.insert(row.id, row);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}
