//! Cached messages: insert (with body, attachments and thread, in one transaction),
//! the server's changes applied, bodies that arrive later, and the lists the UI shows.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};

use super::index::{index, unindex, Entry};
use super::Store;
use crate::api::{AttachmentInfo, MessageSummary};
use crate::error::{Context, Result};

/// A parsed message ready to be cached (see `ingest`).
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub uid: u32,
    pub flags: Vec<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub refs: Vec<String>,
    pub subject: String,
    pub from_name: Option<String>,
    pub from_addr: String,
    pub to_addrs: Vec<String>,
    pub cc_addrs: Vec<String>,
    pub date: i64,
    pub internal_date: i64,
    pub size: u32,
    pub modseq: u64,
    /// False when only the headers were fetched (outside the sync window).
    pub has_body: bool,
    pub raw: Vec<u8>,
    pub text: String,
    /// Sanitized (see `html`).
    pub html: Option<String>,
    pub preview: String,
    pub attachments: Vec<AttachmentInfo>,
    pub list_id: Option<String>,
    pub auth_results: String,
    pub labels: Vec<String>,
    pub gm_thrid: Option<u64>,
}

/// What the server says changed about a cached message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerChange {
    pub uid: u32,
    pub flags: Vec<String>,
    pub modseq: u64,
    /// Gmail labels, when the server sent them.
    pub labels: Option<Vec<String>>,
}

impl Store {
    /// Cache one message with its body and index it, in one transaction: one message
    /// is searchable at once. A UID already cached is left alone.
    pub fn insert_message(&self, account_id: i64, folder_id: i64, m: &NewMessage) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let new = cached_id(&tx, folder_id, m.uid)?.is_none();
        if new {
            let id = insert_in(&tx, account_id, folder_id, m)?;
            index(&tx, &entry(id, m, &addresses(m)))?;
        }
        tx.commit().context("caching a message")?;
        Ok(new)
    }

    /// Cache a batch in one transaction (one fsync for hundreds of messages), left for the
    /// indexer; UIDs already cached are skipped. Returns how many were new.
    pub fn insert_batch(
        &self,
        account_id: i64,
        folder_id: i64,
        batch: &[NewMessage],
    ) -> Result<u32> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut new = 0;
        for m in batch {
            if cached_id(&tx, folder_id, m.uid)?.is_none() {
                insert_in(&tx, account_id, folder_id, m)?;
                new += 1;
            }
        }
        tx.commit().context("caching messages")?;
        Ok(new)
    }

    /// The UIDs of the folder cached at or above `from`, sorted.
    pub fn cached_uids(&self, folder_id: i64, from: u32) -> Result<Vec<u32>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT uid FROM messages WHERE folder_id = ?1 AND uid >= ?2 ORDER BY uid")?;
        let rows = stmt.query_map(params![folder_id, from], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing cached UIDs")
    }

    /// The body of a message that was cached with headers only.
    pub fn attach_body(&self, id: i64, m: &NewMessage) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE bodies SET raw = ?2, text = ?3, html = ?4 WHERE message_id = ?1",
            params![id, m.raw, m.text, m.html],
        )?;
        tx.execute(
            "UPDATE messages SET has_body = 1, preview = ?2, attachments = ?3 WHERE id = ?1",
            params![id, m.preview, m.attachments.len() as u32],
        )?;
        tx.execute("DELETE FROM attachments WHERE message_id = ?1", [id])?;
        insert_attachments(&tx, id, &m.attachments)?;
        // Searchable with its body now, not at the indexer's next pass.
        unindex(&tx, id)?;
        index(&tx, &entry(id, m, &addresses(m)))?;
        tx.commit().context("saving a message body")
    }

    /// Apply what the server reports changed (CONDSTORE/QRESYNC): these UIDs are gone,
    /// these have new flags. One transaction.
    pub fn apply_server_changes(
        &self,
        folder_id: i64,
        vanished: &[u32],
        changed: &[ServerChange],
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for uid in vanished {
            delete_uid(&tx, folder_id, *uid)?;
        }
        for c in changed {
            let (seen, flagged) = seen_flagged(&c.flags);
            tx.prepare_cached(
                "UPDATE messages SET flags = ?3, seen = ?4, flagged = ?5, modseq = ?6,
                     labels = coalesce(?7, labels)
                 WHERE folder_id = ?1 AND uid = ?2",
            )?
            .execute(params![
                folder_id,
                c.uid,
                c.flags.join(" "),
                seen,
                flagged,
                c.modseq as i64,
                c.labels.as_ref().map(|l| l.join(" ")),
            ])?;
        }
        tx.commit().context("applying the server's changes")
    }

    /// Drop the cached messages below `below` that the server no longer lists.
    pub fn keep_only(&self, folder_id: i64, below: u32, server: &[u32]) -> Result<u32> {
        let server: std::collections::HashSet<u32> = server.iter().copied().collect();
        let cached: Vec<u32> = self
            .cached_uids(folder_id, 0)?
            .into_iter()
            .filter(|u| *u < below && !server.contains(u))
            .collect();
        self.apply_server_changes(folder_id, &cached, &[])?;
        Ok(cached.len() as u32)
    }

    /// The newest messages of every account's INBOX: the unified inbox.
    pub fn unified_inbox(&self, limit: u32) -> Result<Vec<MessageSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{SUMMARY} WHERE f.role = 'inbox' OR ' ' || m.labels || ' ' LIKE '% \\Inbox %'
                 ORDER BY m.date DESC, m.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], summary_from_row)?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing the inbox")
    }

    /// Apply the server's view of the messages below `below` (uid → flags): flags that
    /// changed are updated, messages the server no longer has leave the cache. One
    /// transaction: the cache never shows half a sync.
    pub fn reconcile(
        &self,
        folder_id: i64,
        below: u32,
        server: &BTreeMap<u32, Vec<String>>,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let cached: Vec<(i64, u32, String)> = tx
            .prepare(
                "SELECT id, uid, flags FROM messages WHERE folder_id = ?1 AND uid > 0 AND uid < ?2",
            )?
            .query_map(params![folder_id, below], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, uid, flags) in cached {
            match server.get(&uid) {
                None => delete_row(&tx, id)?,
                Some(now) if now.join(" ") != flags => {
                    let (seen, flagged) = seen_flagged(now);
                    tx.execute(
                        "UPDATE messages SET flags = ?2, seen = ?3, flagged = ?4 WHERE id = ?1",
                        params![id, now.join(" "), seen, flagged],
                    )?;
                }
                Some(_) => {}
            }
        }
        tx.commit().context("applying the server's changes")
    }

    /// Messages cached for the account, every folder.
    pub fn count_account_messages(&self, account_id: i64) -> Result<u32> {
        // Through the folders: counting reads the (folder, date) index, not every row
        // (at 100,000 messages, 200 ms of a resync that takes 30 in all).
        self.conn()
            .query_row(
                "SELECT count(*) FROM messages
                 WHERE folder_id IN (SELECT id FROM folders WHERE account_id = ?1)",
                [account_id],
                |r| r.get(0),
            )
            .context("counting messages")
    }

    /// Messages of the folder cached below `uid` (placeholders of pending moves excluded).
    pub fn count_below(&self, folder_id: i64, uid: u32) -> Result<u32> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM messages WHERE folder_id = ?1 AND uid > 0 AND uid < ?2",
                params![folder_id, uid],
                |r| r.get(0),
            )
            .context("counting messages")
    }

    pub fn count_messages(&self, folder_id: i64) -> Result<u32> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM messages WHERE folder_id = ?1",
                [folder_id],
                |r| r.get(0),
            )
            .context("counting messages")
    }
}

/// Insert a message, its body, attachments and thread inside the caller's transaction,
/// left for the indexer (`index::Store::index_pending`). Returns the new row id.
pub(crate) fn insert_in(
    tx: &rusqlite::Transaction<'_>,
    account_id: i64,
    folder_id: i64,
    m: &NewMessage,
) -> Result<i64> {
    let (seen, flagged) = seen_flagged(&m.flags);
    tx.prepare_cached(
        "INSERT INTO messages (account_id, folder_id, uid, flags, seen, flagged, message_id,
             in_reply_to, refs, subject, from_name, from_addr, to_addrs, cc_addrs, date,
             internal_date, size, modseq, has_body, preview, list_id, auth_results,
             attachments, labels, gm_thrid, indexed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, 0)",
    )?
    .execute(params![
        account_id,
        folder_id,
        m.uid,
        m.flags.join(" "),
        seen,
        flagged,
        m.message_id,
        m.in_reply_to,
        m.refs.join(" "),
        m.subject,
        m.from_name,
        m.from_addr,
        m.to_addrs.join(", "),
        m.cc_addrs.join(", "),
        m.date,
        m.internal_date,
        m.size,
        m.modseq as i64,
        m.has_body,
        m.preview,
        m.list_id,
        m.auth_results,
        m.attachments.len() as u32,
        m.labels.join(" "),
        m.gm_thrid.map(|t| t as i64),
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO bodies (message_id, raw, text, html) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, m.raw, m.text, m.html])?;
    insert_attachments(tx, id, &m.attachments)?;
    super::threads::assign(tx, account_id, id, m)?;
    Ok(id)
}

fn insert_attachments(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    attachments: &[AttachmentInfo],
) -> Result<()> {
    for a in attachments {
        tx.prepare_cached(
            "INSERT INTO attachments (message_id, part, filename, mime_type, size, content_id, inline)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![id, a.part, a.filename, a.mime_type, a.size, a.content_id, a.inline])?;
    }
    Ok(())
}

/// The message's index entry: subject, names and addresses, body text.
fn entry<'a>(id: i64, m: &'a NewMessage, addresses: &'a str) -> Entry<'a> {
    Entry {
        id,
        date: m.date,
        subject: &m.subject,
        addresses,
        body: &m.text,
    }
}

/// Sender and recipients, names and addresses, as the index holds them.
fn addresses(m: &NewMessage) -> String {
    [m.from_name.as_deref().unwrap_or(""), &m.from_addr]
        .into_iter()
        .chain(m.to_addrs.iter().map(String::as_str))
        .chain(m.cc_addrs.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The row id of the folder's message `uid`, if cached.
fn cached_id(tx: &rusqlite::Transaction<'_>, folder_id: i64, uid: u32) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT id FROM messages WHERE folder_id = ?1 AND uid = ?2")?
        .query_row(params![folder_id, uid], |r| r.get(0))
        .optional()?)
}

fn delete_uid(tx: &rusqlite::Transaction<'_>, folder_id: i64, uid: u32) -> Result<()> {
    match cached_id(tx, folder_id, uid)? {
        Some(id) => delete_row(tx, id),
        None => Ok(()),
    }
}

pub(crate) fn delete_row(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<()> {
    unindex(tx, id)?;
    tx.prepare_cached("DELETE FROM messages WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The two flags the message list shows, from the IMAP flag list.
pub(crate) fn seen_flagged(flags: &[String]) -> (bool, bool) {
    let has = |flag: &str| flags.iter().any(|f| f.eq_ignore_ascii_case(flag));
    (has("\\Seen"), has("\\Flagged"))
}

/// The columns `summary_from_row` reads, and the joins they need.
pub(crate) const SUMMARY: &str = "SELECT m.id, m.account_id, a.email, f.name, m.uid, m.from_name,
        m.from_addr, m.subject, m.date, m.message_id, m.seen, m.flagged, m.preview,
        m.thread_id, m.attachments
    FROM messages m
    JOIN folders f ON f.id = m.folder_id
    JOIN accounts a ON a.id = m.account_id";

pub(crate) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<MessageSummary> {
    Ok(MessageSummary {
        id: r.get(0)?,
        account_id: r.get(1)?,
        account_email: r.get(2)?,
        folder: r.get(3)?,
        uid: r.get::<_, i64>(4)?.max(0) as u32,
        from_name: r.get(5)?,
        from_addr: r.get(6)?,
        subject: r.get(7)?,
        date: r.get(8)?,
        message_id: r.get(9)?,
        seen: r.get(10)?,
        flagged: r.get(11)?,
        preview: r.get(12)?,
        thread_id: r.get(13)?,
        attachments: r.get(14)?,
        conversation: None,
    })
}
