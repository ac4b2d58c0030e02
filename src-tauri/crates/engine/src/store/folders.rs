//! Folders: the server's list with roles and counts, and each folder's sync state
//! (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ).

use rusqlite::params;

use super::Store;
use crate::error::{Context, Result};

/// One folder as a server listed it (`imap::folders::list`), as the store saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The name on the wire (modified UTF-7): what commands use.
    pub name: String,
    /// The name people read.
    pub display_name: String,
    pub delimiter: String,
    pub role: Option<&'static str>,
    pub selectable: bool,
    /// The folder's STATUS, when asked for (CONDSTORE servers, see `list`).
    pub status: Option<FolderStatus>,
}

/// What STATUS says of a folder: enough to know it has not changed without opening it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderStatus {
    pub messages: u32,
    pub uidnext: u32,
    pub uidvalidity: u32,
    /// 0 when the server keeps no mod-sequences (no CONDSTORE).
    pub highestmodseq: u64,
}

/// A folder's sync state, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderState {
    pub id: i64,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highestmodseq: u64,
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
            "SELECT id, uidvalidity, uidnext, highestmodseq FROM folders
             WHERE account_id = ?1 AND name = ?2",
            params![account_id, name],
            |r| {
                Ok(FolderState {
                    id: r.get(0)?,
                    uidvalidity: r.get(1)?,
                    uidnext: r.get(2)?,
                    highestmodseq: r.get::<_, i64>(3)? as u64,
                })
            },
        )
        .with_context(|| format!("loading folder {name}"))
    }

    /// Record the server's folder list: new folders are added, roles and names updated,
    /// folders the server no longer has are dropped with their cached messages.
    pub fn save_folders(&self, account_id: i64, listed: &[Listed]) -> Result<()> {
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
            drop_folder(&tx, id)?;
        }
        tx.commit().context("saving the folder list")
    }

    /// The names of the account's folders synced at least once, INBOX first.
    pub fn synced_folders(&self, account_id: i64) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT name FROM folders WHERE account_id = ?1 AND selectable = 1 AND uidnext > 0
             ORDER BY role IS NOT 'inbox', name",
        )?;
        let rows = stmt.query_map([account_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing synced folders")
    }

    /// The account's folders with their counts, inbox first, then by role, then by name.
    pub fn folders(&self, account_id: i64) -> Result<Vec<crate::api::Folder>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            // Both counts kept by triggers (migration 020): one row per folder.
            "SELECT f.id, f.name, f.display_name, f.role, f.delimiter, f.unread_count,
                    f.total_count
             FROM folders f
             WHERE f.account_id = ?1 AND f.selectable = 1
             ORDER BY f.role IS NULL, f.role != 'inbox', f.role, f.display_name",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            let name: String = r.get(1)?;
            let display: String = r.get(2)?;
            Ok(crate::api::Folder {
                id: r.get(0)?,
                display_name: shown_or_name(display, &name),
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
            "DELETE FROM messages_fts WHERE rowid IN (SELECT fts_key FROM messages WHERE folder_id = ?1)",
            [folder_id],
        )?;
        tx.execute("DELETE FROM messages WHERE folder_id = ?1", [folder_id])?;
        tx.execute(
            "UPDATE folders SET uidvalidity = ?2, uidnext = 0, highestmodseq = 0 WHERE id = ?1",
            params![folder_id, uidvalidity],
        )?;
        tx.commit().context("resetting a folder")
    }

    /// A pass over the folder completed: everything below `uidnext` is cached, and the
    /// server's changes up to `highestmodseq` are applied.
    pub fn set_synced(&self, folder_id: i64, uidnext: u32, highestmodseq: u64) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE folders SET uidnext = ?2, highestmodseq = ?3 WHERE id = ?1",
                params![folder_id, uidnext, highestmodseq as i64],
            )
            .context("saving the folder's sync state")?;
        Ok(())
    }

    /// The name and role of the account's folder with this role, if it has one.
    pub fn folder_with_role(&self, account_id: i64, role: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                "SELECT name FROM folders WHERE account_id = ?1 AND role = ?2 ORDER BY id LIMIT 1",
                params![account_id, role],
                |r| r.get(0),
            )
            .optional()
            .context("looking up a folder by role")
    }
}

/// A folder gone from the server, within the caller's transaction: its search index rows,
/// then the folder (its messages go with it, by the foreign key's cascade).
pub(super) fn drop_folder(tx: &rusqlite::Transaction<'_>, folder_id: i64) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM messages_fts WHERE rowid IN (SELECT fts_key FROM messages WHERE folder_id = ?1)",
        [folder_id],
    )?;
    tx.execute("DELETE FROM folders WHERE id = ?1", [folder_id])?;
    Ok(())
}

/// The name a folder is shown by: its display name, else its wire name.
pub(super) fn shown_or_name(shown: String, name: &str) -> String {
    if shown.is_empty() {
        name.to_owned()
    } else {
        shown
    }
}
