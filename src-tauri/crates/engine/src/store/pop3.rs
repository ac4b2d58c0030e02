//! POP3 bookkeeping: which UIDLs are cached, and the retention setting.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::messages::NewMessage;
use super::Store;
use crate::error::{Context, Error, ErrorKind, Result};

/// What to do with messages on a POP3 server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    Leave,
    /// Delete this many days after fetching.
    Days(u32),
    /// Delete when deleted locally.
    Mirror,
}

/// A fetched UIDL: when, and whether the local copy still exists.
#[derive(Debug, Clone, Copy)]
pub struct Fetched {
    pub fetched_at: i64,
    pub kept_locally: bool,
}

impl Store {
    pub fn pop3_fetched(&self, account_id: i64) -> Result<HashMap<String, Fetched>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT uidl, fetched_at, message_id IS NOT NULL FROM pop3_uids WHERE account_id = ?1",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok((
                r.get(0)?,
                Fetched {
                    fetched_at: r.get(1)?,
                    kept_locally: r.get(2)?,
                },
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading fetched POP3 messages")
    }

    /// Cache a fetched message and remember its UIDL, together.
    pub fn insert_pop3_message(
        &self,
        (account_id, folder_id): (i64, i64),
        message: &NewMessage,
        uidl: &str,
        fetched_at: i64,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let uid: u32 = tx.query_row(
            "SELECT coalesce(max(uid), 0) + 1 FROM messages WHERE folder_id = ?1",
            [folder_id],
            |r| r.get(0),
        )?;
        let id = super::messages::insert_in(
            &tx,
            account_id,
            folder_id,
            &NewMessage {
                uid,
                ..message.clone()
            },
        )?;
        tx.execute(
            "INSERT INTO pop3_uids (account_id, uidl, message_id, fetched_at) VALUES (?1, ?2, ?3, ?4)",
            params![account_id, uidl, id, fetched_at],
        )?;
        tx.commit().context("caching a POP3 message")
    }

    /// Forget UIDLs the server no longer has (deleted there, by us or another client).
    pub fn pop3_forget(&self, account_id: i64, uidls: &[String]) -> Result<()> {
        let conn = self.conn();
        for uidl in uidls {
            conn.execute(
                "DELETE FROM pop3_uids WHERE account_id = ?1 AND uidl = ?2",
                params![account_id, uidl],
            )?;
        }
        Ok(())
    }

    pub fn pop3_retention(&self, account_id: i64) -> Result<Retention> {
        let (kind, days): (String, u32) = self
            .conn()
            .query_row(
                "SELECT pop3_retention, pop3_days FROM accounts WHERE id = ?1",
                [account_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no account {account_id}")))?;
        Ok(match kind.as_str() {
            "days" => Retention::Days(days),
            "mirror" => Retention::Mirror,
            _ => Retention::Leave,
        })
    }

    pub fn set_pop3_retention(&self, account_id: i64, retention: Retention) -> Result<()> {
        let (kind, days) = match retention {
            Retention::Leave => ("leave", 14),
            Retention::Days(d) => ("days", d),
            Retention::Mirror => ("mirror", 14),
        };
        self.conn()
            .execute(
                "UPDATE accounts SET pop3_retention = ?2, pop3_days = ?3 WHERE id = ?1",
                params![account_id, kind, days],
            )
            .context("saving the POP3 retention")?;
        Ok(())
    }

    /// Delete a cached message (and its index entry) locally.
    pub fn delete_local(&self, message_id: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        super::index::unindex(&tx, message_id)?;
        let n = tx.execute("DELETE FROM messages WHERE id = ?1", [message_id])?;
        if n == 0 {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("no message {message_id}"),
            ));
        }
        tx.commit().context("deleting a message")
    }
}
