//! One action on many messages, and Undo, in the cache and the changes queue.
//!
//! A bulk action is one transaction: every message changes or none does (an id no longer
//! cached is an error naming it). Its changes are queued folder by folder, in UID order,
//! so that `imap::batch` sends each folder's as one command. Junk sets `$Junk` (and takes
//! `$NotJunk` off) before the move, so the keyword travels with the message; Not junk the
//! reverse, back to the Inbox; whether the server keeps keywords is checked at replay.
//!
//! Undo, for what was moved: while the move is still queued (offline, or not yet sent),
//! the queued change is dropped and the message is back where it was, nothing sent.
//! Once the server has it, the message (found by the UID COPYUID gave it) is moved back:
//! one more queued move per folder. Without UIDPLUS the moved message left the cache
//! until the target's sync, and Undo cannot find it: it says how many it put back. The
//! keyword a junk action set is taken off; one it took off stays off.

use rusqlite::{params, OptionalExtension, Transaction};

use super::changes::{load, move_to, queue, role_folder, set_flag, Row};
use super::Store;
use crate::api::{MessageAction, Moved};
use crate::error::{Context, Error, ErrorKind, Result};

/// What a bulk action did to the cache.
#[derive(Debug, Default)]
pub struct Applied {
    /// The accounts whose queues have new changes.
    pub accounts: Vec<i64>,
    pub changed: u32,
    pub moved: Vec<Moved>,
}

impl Store {
    /// Apply `action` to every message of `ids` and queue it for the server, in one
    /// transaction.
    pub fn apply_many(&self, ids: &[i64], action: &MessageAction, now: i64) -> Result<Applied> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let rows = in_order(&tx, ids)?;
        let mut done = Applied::default();
        for (_, row) in &rows {
            if !done.accounts.contains(&row.account_id) {
                done.accounts.push(row.account_id);
            }
        }
        done.changed = rows.len() as u32;
        let flag = |name: &str, on: bool| -> Result<()> {
            for (id, _) in &rows {
                set_flag(&tx, *id, &load(&tx, *id)?, name, on, now)?;
            }
            Ok(())
        };
        match action {
            MessageAction::Seen(on) => flag("\\Seen", *on)?,
            MessageAction::Flagged(on) => flag("\\Flagged", *on)?,
            MessageAction::Answered(on) => flag("\\Answered", *on)?,
            MessageAction::Move(target) => {
                done.moved = move_all(&tx, &rows, |_| Ok(target.clone()), None, now)?
            }
            MessageAction::Archive => {
                done.moved = move_all(
                    &tx,
                    &rows,
                    |row| role_or(&tx, row, &["archive", "all"], "Archive"),
                    None,
                    now,
                )?
            }
            MessageAction::Junk => {
                done.moved = junk(&tx, &rows, ("$Junk", "$NotJunk"), &["junk"], now)?
            }
            MessageAction::NotJunk => {
                done.moved = junk(&tx, &rows, ("$NotJunk", "$Junk"), &["inbox"], now)?
            }
            MessageAction::Delete => done.moved = delete(&tx, &rows, now)?,
        }
        tx.commit().context("saving a change")?;
        Ok(done)
    }

    /// Put back what an action moved (see the module doc). Returns the accounts whose
    /// queues changed and how many messages were put back.
    pub fn undo_local(&self, moved: &[Moved], now: i64) -> Result<(Vec<i64>, u32)> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut present: Vec<(&Moved, Row)> = Vec::new();
        for m in moved {
            if let Some(row) = load_opt(&tx, m.id)? {
                present.push((m, row));
            }
        }
        // By folder, then by where each goes back to: each run one command.
        present.sort_by_cached_key(|(m, row)| {
            (row.account_id, row.folder.clone(), m.from.clone(), row.uid)
        });
        let (mut accounts, mut restored) = (Vec::new(), 0);
        for (m, row) in &present {
            let back = cancel_move(&tx, m.id, row)? || move_to(&tx, m.id, row, &m.from, now)?;
            restored += u32::from(back);
            if back && !accounts.contains(&row.account_id) {
                accounts.push(row.account_id);
            }
        }
        for (m, _) in &present {
            if let Some(keyword) = &m.keyword {
                take_keyword_off(&tx, m.id, keyword, now)?;
            }
        }
        tx.commit().context("undoing a change")?;
        Ok((accounts, restored))
    }
}

type Rows = Vec<(i64, Row)>;

/// The messages of `ids`, each once, by account, folder and UID: the queue's order.
fn in_order(tx: &Transaction<'_>, ids: &[i64]) -> Result<Rows> {
    let mut rows: Rows = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for &id in ids {
        if rows.iter().any(|(other, _)| *other == id) {
            continue;
        }
        match load_opt(tx, id)? {
            Some(row) => rows.push((id, row)),
            None => missing.push(id.to_string()),
        }
    }
    if !missing.is_empty() {
        let what = format!("no message {} in the cache", missing.join(", "));
        return Err(Error::new(ErrorKind::NotFound, what));
    }
    rows.sort_by_cached_key(|(id, row)| order(row, *id));
    Ok(rows)
}

fn order(row: &Row, id: i64) -> (i64, String, i64, i64) {
    (row.account_id, row.folder.clone(), row.uid, id)
}

fn load_opt(tx: &Transaction<'_>, id: i64) -> Result<Option<Row>> {
    match load(tx, id) {
        Ok(row) => Ok(Some(row)),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Move each message to the folder `target` names for it; what moved, for Undo.
fn move_all(
    tx: &Transaction<'_>,
    rows: &Rows,
    target: impl Fn(&Row) -> Result<String>,
    keyword: Option<&str>,
    now: i64,
) -> Result<Vec<Moved>> {
    let mut moved = Vec::new();
    for (id, row) in rows {
        if move_to(tx, *id, row, &target(row)?, now)? {
            moved.push(Moved {
                id: *id,
                from: row.folder.clone(),
                keyword: keyword.map(str::to_owned),
            });
        }
    }
    Ok(moved)
}

/// The account's folder with the first of `roles`, or a plain error naming `what`.
fn role_or(tx: &Transaction<'_>, row: &Row, roles: &[&str], what: &str) -> Result<String> {
    role_folder(tx, row.account_id, roles)?.ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!("this account has no {what} folder"),
        )
    })
}

/// Junk or Not junk: `on` set and `off` taken off where need be, then the move.
fn junk(
    tx: &Transaction<'_>,
    rows: &Rows,
    (on, off): (&str, &str),
    roles: &[&str],
    now: i64,
) -> Result<Vec<Moved>> {
    let has = |row: &Row, flag: &str| row.flags.iter().any(|f| f.eq_ignore_ascii_case(flag));
    for (id, _) in rows {
        let row = load(tx, *id)?;
        if !has(&row, on) {
            set_flag(tx, *id, &row, on, true, now)?;
        }
    }
    for (id, _) in rows {
        let row = load(tx, *id)?;
        if has(&row, off) {
            set_flag(tx, *id, &row, off, false, now)?;
        }
    }
    let what = if on == "$Junk" { "Junk" } else { "Inbox" };
    move_all(tx, rows, |row| role_or(tx, row, roles, what), Some(on), now)
}

/// To Trash; in Trash (or with no Trash) deleted for good, which Undo cannot reverse.
fn delete(tx: &Transaction<'_>, rows: &Rows, now: i64) -> Result<Vec<Moved>> {
    let mut moved = Vec::new();
    for (id, row) in rows {
        match role_folder(tx, row.account_id, &["trash"])? {
            Some(trash) if row.role.as_deref() != Some("trash") => moved.extend(move_all(
                tx,
                &vec![(*id, load(tx, *id)?)],
                |_| Ok(trash.clone()),
                None,
                now,
            )?),
            _ => {
                queue(tx, row, "expunge", "", *id, now)?;
                super::messages::delete_row(tx, *id)?;
            }
        }
    }
    Ok(moved)
}

/// A move still queued (its message holds the placeholder UID): dropped, with what was
/// queued after it for the message in its new folder, and the message is back where it
/// was. Whether there was one.
fn cancel_move(tx: &Transaction<'_>, id: i64, row: &Row) -> Result<bool> {
    if row.uid != -id {
        return Ok(false);
    }
    let queued: Option<(i64, String, i64)> = tx
        .query_row(
            "SELECT id, folder, uid FROM changes WHERE message = ?1 AND action = 'move' AND arg = ?2
             ORDER BY id DESC LIMIT 1",
            params![id, row.folder],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((change, folder, uid)) = queued else {
        return Ok(false);
    };
    tx.execute("DELETE FROM changes WHERE id = ?1", [change])?;
    tx.execute(
        "DELETE FROM changes WHERE account_id = ?1 AND folder = ?2 AND uid = ?3",
        params![row.account_id, row.folder, -id],
    )?;
    tx.execute(
        "UPDATE messages SET uid = ?2,
           folder_id = (SELECT id FROM folders WHERE account_id = ?3 AND name = ?4)
         WHERE id = ?1",
        params![id, uid, row.account_id, folder],
    )?;
    Ok(true)
}

/// Take `keyword` off: a queued add is dropped, else its removal is queued.
fn take_keyword_off(tx: &Transaction<'_>, id: i64, keyword: &str, now: i64) -> Result<()> {
    let dropped = tx.execute(
        "DELETE FROM changes WHERE message = ?1 AND action = 'add_flags' AND arg = ?2",
        params![id, keyword],
    )?;
    let row = load(tx, id)?;
    if !row.flags.iter().any(|f| f.eq_ignore_ascii_case(keyword)) {
        return Ok(());
    }
    if dropped == 0 {
        return set_flag(tx, id, &row, keyword, false, now);
    }
    let flags: Vec<&str> = row
        .flags
        .iter()
        .map(String::as_str)
        .filter(|f| !f.eq_ignore_ascii_case(keyword))
        .collect();
    tx.execute(
        "UPDATE messages SET flags = ?2 WHERE id = ?1",
        params![id, flags.join(" ")],
    )?;
    Ok(())
}
