//! Reading the cache: full-text search, a folder's messages, a thread, one message.

use rusqlite::{params, Connection, OptionalExtension};

use super::messages::{summary_from_row, SUMMARY};
use super::Store;
use crate::api::{AttachmentInfo, MessageDetail, MessageSummary};
use crate::error::{Context, Error, ErrorKind, Result};

impl Store {
    /// Messages matching `query`, newest first. Words match as prefixes anywhere in the
    /// subject, names and addresses, or body; `from:`, `to:` (both look at names and
    /// addresses) and `subject:` narrow a word to a field.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<MessageSummary>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let conn = self.conn();
        // The index's rowid sorts by date: read matches newest first, stop at the limit.
        let mut stmt = conn.prepare_cached(&format!(
            "WITH hits AS (SELECT rowid AS key FROM messages_fts WHERE messages_fts MATCH ?1
                           ORDER BY rowid DESC LIMIT ?2)
             {SUMMARY} JOIN hits ON hits.key = m.fts_key ORDER BY m.fts_key DESC"
        ))?;
        let rows = stmt.query_map(params![fts, limit], summary_from_row)?;
        rows.collect::<rusqlite::Result<_>>()
            .with_context(|| format!("searching for {query:?}"))
    }

    /// A folder's messages, newest first.
    pub fn folder_messages(&self, folder_id: i64, limit: u32) -> Result<Vec<MessageSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "{SUMMARY} WHERE m.folder_id = ?1 ORDER BY m.date DESC, m.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![folder_id, limit], summary_from_row)?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing a folder")
    }

    /// Every cached message of a thread, oldest first (the conversation view).
    pub fn thread(&self, thread_id: i64) -> Result<Vec<MessageSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "{SUMMARY} WHERE m.thread_id = ?1 ORDER BY m.date, m.id"
        ))?;
        let rows = stmt.query_map([thread_id], summary_from_row)?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing a thread")
    }

    pub fn summary(&self, id: i64) -> Result<MessageSummary> {
        self.conn()
            .query_row(
                &format!("{SUMMARY} WHERE m.id = ?1"),
                [id],
                summary_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no message {id} in the cache")))
    }

    /// Whether the body is cached (else it is fetched on demand).
    pub fn has_body(&self, id: i64) -> Result<bool> {
        self.conn()
            .query_row("SELECT has_body FROM messages WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .context("reading a message")
    }

    pub fn message(&self, id: i64) -> Result<MessageDetail> {
        let summary = self.summary(id)?;
        let conn = self.conn();
        let (to, cc, flags, in_reply_to, refs, list_id, auth_results, labels, text, html) = conn
            .query_row(
                "SELECT m.to_addrs, m.cc_addrs, m.flags, m.in_reply_to, m.refs, m.list_id,
                        m.auth_results, m.labels, b.text, b.html
                 FROM messages m JOIN bodies b ON b.message_id = m.id WHERE m.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get(3)?,
                        r.get::<_, String>(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get::<_, String>(7)?,
                        r.get(8)?,
                        r.get(9)?,
                    ))
                },
            )
            .context("reading a message")?;
        let attachments = attachments(&conn, id)?;
        Ok(MessageDetail {
            summary,
            to: split(to, ","),
            cc: split(cc, ","),
            flags: split(flags, " "),
            text,
            html,
            attachments,
            in_reply_to,
            references: split(refs, " "),
            list_id,
            auth_results,
            labels: split(labels, " "),
            delivery: None, // the engine's to fill: `delivery` reads reports
        })
    }

    /// The raw message as cached (empty when only headers are).
    pub fn raw(&self, id: i64) -> Result<Vec<u8>> {
        self.conn()
            .query_row("SELECT raw FROM bodies WHERE message_id = ?1", [id], |r| {
                r.get(0)
            })
            .context("reading a raw message")
    }
}

/// The parts of `s` between `sep`s, trimmed, empty ones left out.
fn split(s: String, sep: &str) -> Vec<String> {
    s.split(sep)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Message `id`'s attachments, in the order the message has them.
fn attachments(conn: &Connection, id: i64) -> Result<Vec<AttachmentInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT part, filename, mime_type, size, content_id, inline FROM attachments
         WHERE message_id = ?1 ORDER BY id",
    )?;
    let attachments = stmt
        .query_map([id], |r| {
            let filename: String = r.get(1)?;
            Ok(AttachmentInfo {
                part: r.get(0)?,
                // Shown as it will be saved: no bidi override hides the real extension.
                // A part without a name stays nameless (the UI shows its type instead).
                filename: match filename.is_empty() {
                    true => filename,
                    false => crate::filename::safe(&filename),
                },
                mime_type: r.get(2)?,
                size: r.get(3)?,
                content_id: r.get(4)?,
                inline: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(attachments)
}

/// The user's words as an FTS5 query: each word quoted (so FTS5 syntax characters are
/// just text) and matched as a prefix; `field:word` is limited to that column.
pub fn fts_query(query: &str) -> Option<String> {
    let terms: Vec<String> = query
        .split_whitespace()
        .filter_map(|word| {
            let (column, word) = match word.split_once(':') {
                Some(("from" | "to" | "cc", w)) => (Some("addresses"), w),
                Some(("subject", w)) => (Some("subject"), w),
                _ => (None, word),
            };
            let word = word.replace('"', "\"\"");
            if word.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() {
                return None;
            }
            Some(match column {
                Some(c) => format!("{c} : \"{word}\"*"),
                None => format!("\"{word}\"*"),
            })
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_become_safe_prefix_queries() {
        assert_eq!(
            fts_query("réunion budget").expect("a query"),
            "\"réunion\"* AND \"budget\"*"
        );
        assert_eq!(
            fts_query("from:zoe").expect("a query"),
            "addresses : \"zoe\"*"
        );
        assert_eq!(
            fts_query("a\"b OR").expect("a query"),
            "\"a\"\"b\"* AND \"OR\"*"
        );
        assert_eq!(fts_query("  - "), None);
    }
}
