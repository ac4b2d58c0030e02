//! The outbox table: every message leaves through it. The row (complete MIME, fixed
//! Message-ID) is written before any network I/O, and each attempt is counted before it
//! starts, so a crash at any instant leaves a state the next start can resume from.

use rusqlite::params;

use super::{now, Store};
use crate::api::{OutboxState, RecipientResult};
use crate::error::{Context, Error, ErrorKind, Result};

/// A queued message, as the sender needs it.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: i64,
    pub account_id: i64,
    pub message_id: String,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub mime: Vec<u8>,
    pub state: OutboxState,
    pub attempts: u32,
}

impl Store {
    pub fn enqueue(
        &self,
        account_id: i64,
        message_id: &str,
        mail_from: &str,
        rcpt_to: &[String],
        mime: &[u8],
    ) -> Result<i64> {
        let rcpts = serde_json::to_string(rcpt_to)
            .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
        let conn = self.conn();
        let t = now();
        conn.execute(
            "INSERT INTO outbox (account_id, message_id, mail_from, rcpt_to, mime, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![account_id, message_id, mail_from, rcpts, mime, t],
        )
        .with_context(|| format!("queueing {message_id} in the outbox"))?;
        Ok(conn.last_insert_rowid())
    }

    pub fn outbox_entry(&self, id: i64) -> Result<OutboxEntry> {
        let conn = self.conn();
        let (entry, rcpts, state) = conn
            .query_row(
                "SELECT id, account_id, message_id, mail_from, rcpt_to, mime, state, attempts
                 FROM outbox WHERE id = ?1",
                [id],
                |r| {
                    let entry = OutboxEntry {
                        id: r.get(0)?,
                        account_id: r.get(1)?,
                        message_id: r.get(2)?,
                        mail_from: r.get(3)?,
                        rcpt_to: Vec::new(),
                        mime: r.get(5)?,
                        state: OutboxState::Queued,
                        attempts: r.get(7)?,
                    };
                    Ok((entry, r.get::<_, String>(4)?, r.get::<_, String>(6)?))
                },
            )
            .with_context(|| format!("loading outbox entry {id}"))?;
        let bug = |what: &str| Error::new(ErrorKind::Bug, format!("outbox entry {id}: {what}"));
        Ok(OutboxEntry {
            rcpt_to: serde_json::from_str(&rcpts).map_err(|_| bug("bad recipient list"))?,
            state: OutboxState::parse(&state).ok_or_else(|| bug("unknown state"))?,
            ..entry
        })
    }

    /// Record that an attempt starts, before the first byte goes out.
    pub fn begin_attempt(&self, id: i64) -> Result<()> {
        let changed = self
            .conn()
            .execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?2
                 WHERE id = ?1 AND state = 'queued'",
                params![id, now()],
            )
            .context("recording a send attempt")?;
        if changed == 0 {
            return Err(Error::new(
                ErrorKind::Bug,
                format!("outbox entry {id} is not queued; refusing to send it again"),
            ));
        }
        Ok(())
    }

    /// Record how an attempt ended.
    pub fn finish_attempt(
        &self,
        id: i64,
        state: OutboxState,
        results: &[RecipientResult],
        error: Option<&str>,
    ) -> Result<()> {
        let results = serde_json::to_string(results)
            .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
        self.conn()
            .execute(
                "UPDATE outbox SET state = ?2, results = ?3, last_error = ?4, updated_at = ?5
                 WHERE id = ?1",
                params![id, state.as_str(), results, error, now()],
            )
            .context("recording the send result")?;
        Ok(())
    }
}
