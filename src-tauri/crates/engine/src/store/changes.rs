//! Local changes (flags, moves, deletions): applied to the cache at once, queued for the
//! server in the `changes` table, replayed in order by `imap::changes`.

use rusqlite::{params, OptionalExtension, Transaction};

use super::folder_names::resolve_folder;
use super::messages::{delete_row, seen_flagged};
use super::Store;
use crate::api::MessageAction;
use crate::error::{Context, Error, ErrorKind, Result};

/// One queued change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub folder: String,
    /// Negative: a placeholder for a message whose move has not reached the server yet.
    pub uid: i64,
    pub modseq: u64,
    pub action: String,
    pub arg: String,
    pub message: Option<i64>,
}

pub(super) struct Row {
    pub(super) account_id: i64,
    pub(super) folder: String,
    pub(super) role: Option<String>,
    pub(super) uid: i64,
    pub(super) modseq: u64,
    pub(super) flags: Vec<String>,
}

impl Store {
    /// Apply `action` to cached message `id` and queue it for the server, in one
    /// transaction. Returns the account id.
    pub fn apply_local(&self, id: i64, action: &MessageAction, now: i64) -> Result<i64> {
        let applied = self.apply_many(&[id], action, now)?;
        Ok(applied.accounts.first().copied().unwrap_or_default())
    }

    pub fn pending_changes(&self, account_id: i64) -> Result<Vec<Change>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, folder, uid, modseq, action, arg, message FROM changes
             WHERE account_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok(Change {
                id: r.get(0)?,
                folder: r.get(1)?,
                uid: r.get(2)?,
                modseq: r.get::<_, i64>(3)? as u64,
                action: r.get(4)?,
                arg: r.get(5)?,
                message: r.get(6)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading queued changes")
    }

    /// The server has the change. For a move, `new_uid` is where the message landed
    /// (COPYUID): the placeholder row and later queued changes get the real UID; without
    /// it the placeholder goes, and the target folder's next sync brings the message.
    pub fn change_done(&self, change: &Change, new_uid: Option<u32>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM changes WHERE id = ?1", [change.id])?;
        if change.action == "move" {
            if let Some(row) = change.message {
                settle_placeholder(&tx, row, &change.arg, new_uid)?;
            }
        }
        tx.commit().context("settling a change")
    }

    /// The server stored the change's flags and gave the message a new MODSEQ: the cached
    /// message and the changes still queued for it (guarded with the old one) take it.
    pub fn change_stored(&self, change: &Change, modseq: u64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE changes SET modseq = ?2
             WHERE id != ?1 AND folder = ?3 AND uid = ?4 AND modseq = ?5
               AND account_id = (SELECT account_id FROM changes WHERE id = ?1)",
            params![
                change.id,
                modseq as i64,
                change.folder,
                change.uid,
                change.modseq as i64
            ],
        )?;
        if let Some(message) = change.message {
            tx.execute(
                "UPDATE messages SET modseq = max(modseq, ?2) WHERE id = ?1",
                params![message, modseq as i64],
            )?;
        }
        tx.execute("DELETE FROM changes WHERE id = ?1", [change.id])?;
        tx.commit().context("settling a change")
    }

    /// The server refused the change (the message is gone, or changed elsewhere since):
    /// the server's state wins. A refused move puts nothing back by hand: the placeholder
    /// goes and the source folder's next sync shows the message where it really is.
    pub fn change_refused(&self, change: &Change, why: &str) -> Result<()> {
        tracing::warn!(change = change.id, action = %change.action, "refused by the server: {why}");
        self.change_done(change, None)
    }

    pub fn change_attempted(&self, id: i64, error: &str) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE changes SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                params![id, error],
            )
            .context("recording a change attempt")?;
        Ok(())
    }
}

pub(super) fn load(tx: &Transaction<'_>, id: i64) -> Result<Row> {
    tx.query_row(
        "SELECT m.account_id, f.name, f.role, m.uid, m.modseq, m.flags
         FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?1",
        [id],
        |r| {
            Ok(Row {
                account_id: r.get(0)?,
                folder: r.get(1)?,
                role: r.get(2)?,
                uid: r.get(3)?,
                modseq: r.get::<_, i64>(4)? as u64,
                flags: r
                    .get::<_, String>(5)?
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no message {id} in the cache")))
}

pub(super) fn set_flag(
    tx: &Transaction<'_>,
    id: i64,
    row: &Row,
    flag: &str,
    on: bool,
    now: i64,
) -> Result<()> {
    let mut flags: Vec<String> = row
        .flags
        .iter()
        .filter(|f| !f.eq_ignore_ascii_case(flag))
        .cloned()
        .collect();
    if on {
        flags.push(flag.to_owned());
    }
    let (seen, flagged) = seen_flagged(&flags);
    tx.execute(
        "UPDATE messages SET flags = ?2, seen = ?3, flagged = ?4 WHERE id = ?1",
        params![id, flags.join(" "), seen, flagged],
    )?;
    let action = if on { "add_flags" } else { "remove_flags" };
    queue(tx, row, action, flag, id, now)
}

/// Move to `target`, a folder as a person names it (`resolve_folder`) or as the server
/// does. Whether it moved (not when it is there already).
pub(super) fn move_to(
    tx: &Transaction<'_>,
    id: i64,
    row: &Row,
    target: &str,
    now: i64,
) -> Result<bool> {
    let target = resolve_folder(tx, row.account_id, target)?;
    if target.name == row.folder {
        return Ok(false);
    }
    queue(tx, row, "move", &target.name, id, now)?;
    tx.execute(
        // A MODSEQ is per folder: the one it had there guards nothing here.
        "UPDATE messages SET folder_id = ?2, uid = ?3, modseq = 0 WHERE id = ?1",
        params![id, target.id, -id],
    )?;
    Ok(true)
}

pub(super) fn queue(
    tx: &Transaction<'_>,
    row: &Row,
    action: &str,
    arg: &str,
    id: i64,
    now: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO changes (account_id, folder, uid, modseq, action, arg, message, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            row.account_id,
            row.folder,
            row.uid,
            row.modseq as i64,
            action,
            arg,
            id,
            now
        ],
    )?;
    Ok(())
}

pub(super) fn role_folder(
    tx: &Transaction<'_>,
    account_id: i64,
    roles: &[&str],
) -> Result<Option<String>> {
    for role in roles {
        let name: Option<String> = tx
            .query_row(
                "SELECT name FROM folders WHERE account_id = ?1 AND role = ?2 AND selectable = 1",
                params![account_id, role],
                |r| r.get(0),
            )
            .optional()?;
        if name.is_some() {
            return Ok(name);
        }
    }
    Ok(None)
}

fn settle_placeholder(
    tx: &Transaction<'_>,
    row: i64,
    target: &str,
    new_uid: Option<u32>,
) -> Result<()> {
    match new_uid {
        Some(uid) => {
            tx.execute(
                "UPDATE changes SET uid = ?3, modseq = 0 WHERE folder = ?2 AND uid = ?1",
                params![-row, target, uid],
            )?;
            tx.execute(
                "UPDATE messages SET uid = ?2 WHERE id = ?1 AND uid = ?3",
                params![row, uid, -row],
            )?;
        }
        None => {
            tx.execute(
                "DELETE FROM changes WHERE folder = ?2 AND uid = ?1",
                params![-row, target],
            )?;
            let still: Option<i64> = tx
                .query_row(
                    "SELECT id FROM messages WHERE id = ?1 AND uid = ?2",
                    params![row, -row],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = still {
                delete_row(tx, id)?;
            }
        }
    }
    Ok(())
}
