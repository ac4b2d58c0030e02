//! Folders and cached messages.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::api::MessageSummary;
use crate::error::{Context, Result};

/// A folder's sync state, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderState {
    pub id: i64,
    pub uidvalidity: u32,
    pub uidnext: u32,
}

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
    pub raw: Vec<u8>,
    pub text: String,
    pub html: Option<String>,
}

impl Store {
    /// The folder's row, created on first sight.
    pub fn folder(&self, account_id: i64, name: &str, role: Option<&str>) -> Result<FolderState> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO folders (account_id, name, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (account_id, name) DO NOTHING",
            params![account_id, name, role],
        )
        .with_context(|| format!("creating folder {name}"))?;
        conn.query_row(
            "SELECT id, uidvalidity, uidnext FROM folders WHERE account_id = ?1 AND name = ?2",
            params![account_id, name],
            |r| {
                Ok(FolderState {
                    id: r.get(0)?,
                    uidvalidity: r.get(1)?,
                    uidnext: r.get(2)?,
                })
            },
        )
        .with_context(|| format!("loading folder {name}"))
    }

    /// Record the server's folder list: new folders are added, roles and names updated,
    /// folders the server no longer has are dropped with their cached messages.
    pub fn save_folders(
        &self,
        account_id: i64,
        listed: &[crate::imap::folders::Listed],
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for f in listed {
            tx.execute(
                "INSERT INTO folders (account_id, name, role, display_name, delimiter, selectable)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (account_id, name) DO UPDATE SET role = excluded.role,
                     display_name = excluded.display_name, delimiter = excluded.delimiter,
                     selectable = excluded.selectable",
                params![
                    account_id,
                    f.name,
                    f.role,
                    f.display_name,
                    f.delimiter,
                    f.selectable
                ],
            )?;
        }
        let names: Vec<&str> = listed.iter().map(|f| f.name.as_str()).collect();
        let stale: Vec<i64> = tx
            .prepare("SELECT id, name FROM folders WHERE account_id = ?1")?
            .query_map([account_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?
            .filter_map(|row| row.ok())
            .filter(|(_, name)| !names.contains(&name.as_str()))
            .map(|(id, _)| id)
            .collect();
        for id in stale {
            tx.execute(
                "DELETE FROM messages_fts WHERE rowid IN (SELECT id FROM messages WHERE folder_id = ?1)",
                [id],
            )?;
            tx.execute("DELETE FROM folders WHERE id = ?1", [id])?;
        }
        tx.commit().context("saving the folder list")
    }

    /// The account's folders with their counts, inbox first, then by role, then by name.
    pub fn folders(&self, account_id: i64) -> Result<Vec<crate::api::Folder>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT f.id, f.name, f.display_name, f.role, f.delimiter,
                    coalesce(sum(m.seen = 0), 0), count(m.id)
             FROM folders f LEFT JOIN messages m ON m.folder_id = f.id
             WHERE f.account_id = ?1 AND f.selectable = 1
             GROUP BY f.id
             ORDER BY f.role IS NULL, f.role != 'inbox', f.role, f.display_name",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            let name: String = r.get(1)?;
            let display: String = r.get(2)?;
            Ok(crate::api::Folder {
                id: r.get(0)?,
                display_name: if display.is_empty() {
                    name.clone()
                } else {
                    display
                },
                name,
                role: r.get(3)?,
                delimiter: r.get(4)?,
                unread: r.get(5)?,
                total: r.get(6)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing folders")
    }

    /// A new UIDVALIDITY makes every cached UID of the folder meaningless: drop them.
    pub fn reset_folder(&self, folder_id: i64, uidvalidity: u32) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM messages_fts WHERE rowid IN (SELECT id FROM messages WHERE folder_id = ?1)",
            [folder_id],
        )?;
        tx.execute("DELETE FROM messages WHERE folder_id = ?1", [folder_id])?;
        tx.execute(
            "UPDATE folders SET uidvalidity = ?2, uidnext = 0, highestmodseq = 0 WHERE id = ?1",
            params![folder_id, uidvalidity],
        )?;
        tx.commit().context("resetting a folder")
    }

    pub fn set_uidnext(&self, folder_id: i64, uidnext: u32) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE folders SET uidnext = max(uidnext, ?2) WHERE id = ?1",
                params![folder_id, uidnext],
            )
            .context("saving the folder's UIDNEXT")?;
        Ok(())
    }

    /// Cache one message with its body and index it, in one transaction. A UID already
    /// cached is left alone (sync may re-fetch after a dropped connection).
    pub fn insert_message(&self, account_id: i64, folder_id: i64, m: &NewMessage) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM messages WHERE folder_id = ?1 AND uid = ?2",
                params![folder_id, m.uid],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Ok(false);
        }
        insert_in(&tx, account_id, folder_id, m)?;
        tx.commit()?;
        Ok(true)
    }

    /// The newest messages of every account's INBOX: the unified inbox.
    pub fn unified_inbox(&self, limit: u32) -> Result<Vec<MessageSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT m.id, m.account_id, a.email, f.name, m.uid, m.from_name, m.from_addr,
                    m.subject, m.date, m.message_id, m.seen, m.flagged
             FROM messages m
             JOIN folders f ON f.id = m.folder_id
             JOIN accounts a ON a.id = m.account_id
             WHERE f.role = 'inbox'
             ORDER BY m.date DESC, m.id DESC
             LIMIT ?1",
        )?;
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
            .prepare("SELECT id, uid, flags FROM messages WHERE folder_id = ?1 AND uid < ?2")?
            .query_map(params![folder_id, below], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, uid, flags) in cached {
            match server.get(&uid) {
                None => {
                    tx.execute("DELETE FROM messages_fts WHERE rowid = ?1", [id])?;
                    tx.execute("DELETE FROM messages WHERE id = ?1", [id])?;
                }
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

/// Insert a message, its body and its index entry inside the caller's transaction.
/// Returns the new row id.
pub(crate) fn insert_in(
    tx: &rusqlite::Transaction<'_>,
    account_id: i64,
    folder_id: i64,
    m: &NewMessage,
) -> Result<i64> {
    let (seen, flagged) = seen_flagged(&m.flags);
    tx.execute(
        "INSERT INTO messages (account_id, folder_id, uid, flags, seen, flagged, message_id,
             in_reply_to, refs, subject, from_name, from_addr, to_addrs, cc_addrs, date,
             internal_date, size)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
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
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO bodies (message_id, raw, text, html) VALUES (?1, ?2, ?3, ?4)",
        params![id, m.raw, m.text, m.html],
    )?;
    let addresses = [m.from_name.as_deref().unwrap_or(""), &m.from_addr]
        .into_iter()
        .chain(m.to_addrs.iter().map(String::as_str))
        .chain(m.cc_addrs.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    tx.execute(
        "INSERT INTO messages_fts (rowid, subject, addresses, body) VALUES (?1, ?2, ?3, ?4)",
        params![id, m.subject, addresses, m.text],
    )?;
    Ok(id)
}

/// The two flags the message list shows, from the IMAP flag list.
fn seen_flagged(flags: &[String]) -> (bool, bool) {
    let has = |flag: &str| flags.iter().any(|f| f.eq_ignore_ascii_case(flag));
    (has("\\Seen"), has("\\Flagged"))
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<MessageSummary> {
    Ok(MessageSummary {
        id: r.get(0)?,
        account_id: r.get(1)?,
        account_email: r.get(2)?,
        folder: r.get(3)?,
        uid: r.get(4)?,
        from_name: r.get(5)?,
        from_addr: r.get(6)?,
        subject: r.get(7)?,
        date: r.get(8)?,
        message_id: r.get(9)?,
        seen: r.get(10)?,
        flagged: r.get(11)?,
    })
}
