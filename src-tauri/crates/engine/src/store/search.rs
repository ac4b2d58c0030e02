//! Reading the cache: full-text search, a folder's messages, a thread, one message.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use super::messages::{summary_from_row, SUMMARY};
use super::Store;
use crate::api::{AttachmentInfo, MessageDetail, MessageSummary};
use crate::error::{Context, Error, ErrorKind, Result};
use crate::query::Query;

impl Store {
    /// Messages matching `query`, newest first. Words match as prefixes anywhere in the
    /// subject, names and addresses, or body; `from:`, `to:` (both look at names and
    /// addresses) and `subject:` narrow a word to a field; the operators (`crate::query`)
    /// narrow by state, folder, account and date.
    pub fn search_query(&self, query: &Query, limit: u32) -> Result<Vec<MessageSummary>> {
        let fts = fts_query(&query.words.join(" "));
        if fts.is_none() && !query.has_filters() {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let Some((filters, mut values)) = filters(&conn, query)? else {
            return Ok(Vec::new()); // `in:` names no folder of any account
        };
        let sql = match &fts {
            // The index's rowid sorts by date: read matches newest first, stop at the limit.
            Some(_) if !query.has_filters() => format!(
                "WITH hits AS (SELECT rowid AS key FROM messages_fts WHERE messages_fts MATCH ?
                               ORDER BY rowid DESC LIMIT ?)
                 {SUMMARY} JOIN hits ON hits.key = m.fts_key ORDER BY m.fts_key DESC"
            ),
            Some(_) => format!(
                "{SUMMARY} WHERE m.fts_key IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)
                 {filters} ORDER BY m.fts_key DESC LIMIT ?"
            ),
            None => format!("{SUMMARY} WHERE 1 = 1 {filters} ORDER BY m.date DESC, m.id DESC LIMIT ?"),
        };
        if let Some(fts) = fts {
            values.insert(0, Value::Text(fts));
        }
        values.push(Value::Integer(limit.into()));
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), summary_from_row)?;
        rows.collect::<rusqlite::Result<_>>()
            .context("searching the cache")
    }

    /// `search_query` of words and operators as typed (tests).
    #[cfg(test)]
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<MessageSummary>> {
        self.search_query(&crate::query::parse(text, 0), limit)
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

/// The operators as SQL conditions ("AND ...") and their values; `None` when `in:` names
/// no folder of any account (nothing can match).
fn filters(conn: &Connection, q: &Query) -> Result<Option<(String, Vec<Value>)>> {
    let (mut sql, mut values) = (String::new(), Vec::new());
    let mut add = |clause: &str, value: Value| {
        sql.push_str(clause);
        values.push(value);
    };
    if let Some(seen) = q.seen {
        add(" AND m.seen = ?", Value::Integer(seen.into()));
    }
    if let Some(flagged) = q.flagged {
        add(" AND m.flagged = ?", Value::Integer(flagged.into()));
    }
    if let Some(account) = &q.account {
        add(
            " AND a.email = ? COLLATE NOCASE",
            Value::Text(account.clone()),
        );
    }
    if let Some(before) = q.before {
        add(" AND m.date < ?", Value::Integer(before));
    }
    if let Some(after) = q.after {
        add(" AND m.date >= ?", Value::Integer(after));
    }
    if q.attachment {
        sql.push_str(" AND m.attachments > 0");
    }
    if let Some(name) = &q.folder {
        let ids = folders_named(conn, name)?;
        if ids.is_empty() {
            return Ok(None);
        }
        sql.push_str(&format!(
            " AND m.folder_id IN ({})",
            vec!["?"; ids.len()].join(", ")
        ));
        values.extend(ids.into_iter().map(Value::Integer));
    }
    Ok(Some((sql, values)))
}

/// Each account's folder a person means by `name` (see `resolve_folder`).
fn folders_named(conn: &Connection, name: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM accounts")?;
    let accounts: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()
        .context("listing accounts")?;
    Ok(accounts
        .into_iter()
        .filter_map(|a| super::folder_names::resolve_folder(conn, a, name).ok())
        .map(|f| f.id)
        .collect())
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
