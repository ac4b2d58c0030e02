//! A list grouped by conversation: one row per thread, the thread's newest message in the
//! list standing for it, with what its other messages there hold together (how many, how
//! many unread, any flagged, any attachment, who wrote them).
//!
//! A conversation's row counts its messages in the row's folder (the unified inbox: in the
//! folder its newest inbox message is in), not those filed elsewhere: the list shows what
//! is in it, like Thunderbird's threads; the reader lists the whole conversation
//! (`Store::thread`). For Gmail the folder is All Mail, so a conversation counts its
//! archived messages too, as Gmail itself does.
//!
//! Speed: grouping reads each message's (id, thread) in list order and keeps the first of
//! each thread, in Rust, one pass; the covering index of migration 021 answers that read
//! without touching the message rows. The counts are read only for the rows in view
//! (`conversation_summaries`), a screenful at a time.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::api::{Conversation, MessageSummary};
use crate::error::{Context, Result};

/// A folder's messages in list order, newest first: id, thread (`?1`: the folder).
/// Answered from the (folder, date, id, thread) index alone (migration 021).
const FOLDER_ROWS: &str = "SELECT id, thread_id FROM messages WHERE folder_id = ?1
     ORDER BY date DESC, id DESC";

/// The unified inbox's messages in list order, as `Store::inbox_ids` reads them (every
/// account's inbox; Gmail: the labelled mail carrying \Inbox): id, thread.
const INBOX_ROWS: &str = "SELECT id, thread_id FROM (
         SELECT m.id, m.date, m.thread_id FROM messages m
         WHERE m.folder_id IN (SELECT id FROM folders WHERE role = 'inbox')
         UNION
         SELECT m.id, m.date, m.thread_id FROM messages m
         WHERE m.labels != '' AND ' ' || m.labels || ' ' LIKE '% \\Inbox %')
     ORDER BY date DESC, id DESC";

/// The unified inbox in list order as `INBOX_ROWS`, read row by row from the date index
/// (no sort of the whole inbox first): the first page stops after its rows. Reading the
/// whole inbox this way would read every message row; `INBOX_ROWS` does not.
const INBOX_STREAM: &str = "SELECT m.id, m.thread_id FROM messages m
     JOIN folders f ON f.id = m.folder_id
     WHERE f.role = 'inbox' OR ' ' || m.labels || ' ' LIKE '% \\Inbox %'
     ORDER BY m.date DESC, m.id DESC";

/// Senders named on a row at most.
const SENDERS: usize = 3;
/// A conversation's messages looked at for its senders (newest first): enough to find
/// three names, bounded however long the conversation.
const SENDER_ROWS: u32 = 200;

impl Store {
    /// The folder's rows grouped: each conversation's newest message id, newest first.
    pub fn folder_conversation_ids(&self, folder_id: i64) -> Result<Vec<i64>> {
        self.grouped_ids(FOLDER_ROWS, Some(folder_id), usize::MAX)
    }

    /// The unified inbox's rows grouped, as `folder_conversation_ids`.
    pub fn inbox_conversation_ids(&self) -> Result<Vec<i64>> {
        self.grouped_ids(INBOX_ROWS, None, usize::MAX)
    }

    /// The folder's first `limit` conversation rows (the first screenful).
    pub fn folder_conversations(&self, folder_id: i64, limit: u32) -> Result<Vec<MessageSummary>> {
        let ids = self.grouped_ids(FOLDER_ROWS, Some(folder_id), limit as usize)?;
        self.conversation_summaries(&ids)
    }

    /// The unified inbox's first `limit` conversation rows.
    pub fn inbox_conversations(&self, limit: u32) -> Result<Vec<MessageSummary>> {
        let ids = self.grouped_ids(INBOX_STREAM, None, limit as usize)?;
        self.conversation_summaries(&ids)
    }

    /// The summaries of these rows (as `summaries`), each with its conversation when it
    /// stands for more than itself.
    pub fn conversation_summaries(&self, ids: &[i64]) -> Result<Vec<MessageSummary>> {
        let mut rows = self.summaries(ids)?;
        for row in &mut rows {
            row.conversation = self.conversation(row.id)?;
        }
        Ok(rows)
    }

    /// Run a list query (`FOLDER_ROWS`, `INBOX_ROWS`: id, thread in list order) and keep
    /// the first id of each thread, stopping after `limit` rows; the rest is not read.
    fn grouped_ids(&self, sql: &str, folder: Option<i64>, limit: usize) -> Result<Vec<i64>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = match folder {
            Some(f) => stmt.query([f])?,
            None => stmt.query([])?,
        };
        let mut seen = HashSet::new();
        let mut ids = Vec::new();
        while ids.len() < limit {
            let Some(row) = rows.next().context("listing conversations")? else {
                break;
            };
            let id: i64 = row.get(0)?;
            // Before threading existed (or a failed assign) a message is its own thread.
            let thread: i64 = row.get::<_, Option<i64>>(1)?.unwrap_or(id);
            if seen.insert(thread) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// What the messages of `id`'s thread in `id`'s folder hold together; none when it is
    /// alone there.
    fn conversation(&self, id: i64) -> Result<Option<Conversation>> {
        let conn = self.conn();
        let counts = conn
            .prepare_cached(
                "SELECT count(*), total(m.seen = 0), max(m.flagged), max(m.attachments > 0)
                 FROM messages r JOIN messages m
                   ON m.thread_id = r.thread_id AND m.folder_id = r.folder_id
                 WHERE r.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, Option<bool>>(2)?,
                    r.get::<_, Option<bool>>(3)?,
                ))
            })
            .optional()
            .context("counting a conversation")?;
        let Some((count, unread, flagged, attachments)) = counts.filter(|c| c.0 > 1) else {
            return Ok(None);
        };
        Ok(Some(Conversation {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            unread: unread as u32,
            flagged: flagged.unwrap_or(false),
            attachments: attachments.unwrap_or(false),
            senders: senders(&conn, id)?,
        }))
    }
}

/// The names of the conversation's senders, newest first, each once.
fn senders(conn: &rusqlite::Connection, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.from_name, m.from_addr
         FROM messages r JOIN messages m
           ON m.thread_id = r.thread_id AND m.folder_id = r.folder_id
         WHERE r.id = ?1
         ORDER BY m.date DESC, m.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![id, SENDER_ROWS], |r| {
        Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut addrs = HashSet::new();
    let mut names = Vec::new();
    for row in rows {
        let (name, addr) = row.context("reading a conversation's senders")?;
        if names.len() == SENDERS {
            break;
        }
        if addrs.insert(addr.to_lowercase()) {
            let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            names.push(name.unwrap_or(addr));
        }
    }
    Ok(names)
}

#[cfg(test)]
#[path = "conversations_tests.rs"]
mod tests;

impl Store {
    /// Each message of `ids` and the other messages of its conversation in the same folder
    /// (what a grouped row stands for), each once, in the order first met. A message with
    /// no thread is itself alone.
    pub fn conversation_members(&self, ids: &[i64]) -> Result<Vec<i64>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT m2.id FROM messages m1 JOIN messages m2
               ON m2.thread_id = m1.thread_id AND m2.folder_id = m1.folder_id
             WHERE m1.id = ?1 AND m1.thread_id IS NOT NULL
             ORDER BY m2.date DESC, m2.id DESC",
        )?;
        let mut seen = HashSet::new();
        let mut members = Vec::with_capacity(ids.len());
        for &id in ids {
            let rows = stmt.query_map([id], |r| r.get::<_, i64>(0))?;
            let found = rows
                .collect::<rusqlite::Result<Vec<i64>>>()
                .context("reading a conversation")?;
            for member in std::iter::once(id).chain(found) {
                if seen.insert(member) {
                    members.push(member);
                }
            }
        }
        Ok(members)
    }
}
