//! The outbox table: every message leaves through it. The row (complete MIME, fixed
//! Message-ID) is written before any network I/O, and each attempt is counted and
//! recorded before it starts, so a crash at any instant leaves a state the next start
//! resumes from (`recover_interrupted`).

use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::api::{OutboxState, RecipientResult, RecipientState, SendReport};
use crate::error::{Context, Error, ErrorKind, Result};

/// Where a message stands after an attempt, and when to try again (decided by
/// `outbox::decide`, stored here).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub state: OutboxState,
    pub next_attempt_at: Option<i64>,
    pub summary: Option<String>,
}

/// A queued message, as the sender needs it.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: i64,
    pub account_id: i64,
    pub message_id: String,
    pub mail_from: String,
    pub recipients: Vec<RecipientResult>,
    pub mime: Vec<u8>,
    pub attempts: u32,
    pub created_at: i64,
}

/// One recorded attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub outcome: String,
    pub trace: String,
}

const REPORT_COLUMNS: &str =
    "id, message_id, state, attempts, results, last_error, next_attempt_at";

impl Store {
    pub fn enqueue(
        &self,
        account_id: i64,
        message_id: &str,
        mail_from: &str,
        rcpt_to: &[String],
        mime: &[u8],
    ) -> Result<i64> {
        let recipients: Vec<_> = rcpt_to
            .iter()
            .map(|a| RecipientResult::pending(a))
            .collect();
        let conn = self.conn();
        let t = self.now();
        conn.execute(
            "INSERT INTO outbox (account_id, message_id, mail_from, rcpt_to, mime, results,
                 next_attempt_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
            params![
                account_id,
                message_id,
                mail_from,
                to_json(&rcpt_to)?,
                mime,
                to_json(&recipients)?,
                t
            ],
        )
        .with_context(|| format!("queueing {message_id} in the outbox"))?;
        Ok(conn.last_insert_rowid())
    }

    /// When the next queued message is due, if any is queued: of accounts that can send
    /// (one that needs sign-in waits for the user, not the clock).
    pub fn next_queued_at(&self) -> Result<Option<i64>> {
        self.conn()
            .query_row(
                "SELECT min(o.next_attempt_at) FROM outbox o JOIN accounts a ON a.id = o.account_id
                 WHERE o.state = 'queued' AND a.needs_signin IS NULL",
                [],
                |r| r.get(0),
            )
            .context("reading the outbox")
    }

    /// Keep a queued message back until `at` (unix seconds).
    pub fn hold_until(&self, id: i64, at: i64) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1 AND state = 'queued'",
                params![id, at],
            )
            .context("scheduling a message")?;
        Ok(())
    }

    /// The oldest message of the account that is due now, in queue order.
    pub fn next_due(&self, account_id: i64, at: i64) -> Result<Option<OutboxEntry>> {
        self.conn()
            .query_row(
                "SELECT id, account_id, message_id, mail_from, results, mime, attempts, created_at
                 FROM outbox WHERE account_id = ?1 AND state = 'queued' AND next_attempt_at <= ?2
                 ORDER BY id LIMIT 1",
                params![account_id, at],
                entry_from_row,
            )
            .optional()
            .context("reading the outbox")
    }

    /// Count and record an attempt before its first byte goes out. Returns the attempt id.
    pub fn begin_attempt(&self, id: i64) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, data_started = 0,
                 updated_at = ?2
             WHERE id = ?1 AND state = 'queued'",
            params![id, self.now()],
        )?;
        if changed == 0 {
            return Err(Error::new(
                ErrorKind::Bug,
                format!("outbox entry {id} is not queued; refusing to send it again"),
            ));
        }
        tx.execute(
            "INSERT INTO outbox_attempts (outbox_id, started_at) VALUES (?1, ?2)",
            params![id, self.now()],
        )?;
        let attempt = tx.last_insert_rowid();
        tx.commit().context("recording a send attempt")?;
        Ok(attempt)
    }

    /// The message bytes are about to go out: from here a crash is ambiguous. The
    /// attempt's trace so far is kept with the mark, so a crash loses none of it.
    pub fn mark_data_started(&self, (id, attempt): (i64, i64), trace: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("UPDATE outbox SET data_started = 1 WHERE id = ?1", [id])?;
        tx.execute(
            "UPDATE outbox_attempts SET trace = ?2 WHERE id = ?1",
            params![attempt, trace],
        )?;
        tx.commit()
            .context("recording that the message is being transmitted")
    }

    /// Record how an attempt ended, its trace and the message's new state, together.
    pub fn finish_attempt(
        &self,
        (id, attempt): (i64, i64),
        verdict: &Verdict,
        recipients: &[RecipientResult],
        trace: &str,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let t = self.now();
        tx.execute(
            "UPDATE outbox SET state = ?2, results = ?3, last_error = ?4, next_attempt_at = ?5,
                 updated_at = ?6
             WHERE id = ?1",
            params![
                id,
                verdict.state.as_str(),
                to_json(recipients)?,
                verdict.summary,
                verdict.next_attempt_at.unwrap_or(0),
                t
            ],
        )?;
        tx.execute(
            "UPDATE outbox_attempts SET ended_at = ?2, outcome = ?3, trace = ?4 WHERE id = ?1",
            params![attempt, t, verdict.state.as_str(), trace],
        )?;
        tx.commit().context("recording the send result")
    }

    /// A copy is in Sent: the message's journey is complete.
    pub fn mark_copied_to_sent(&self, id: i64) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE outbox SET state = 'copied_to_sent', updated_at = ?2
                 WHERE id = ?1 AND state = 'accepted'",
                params![id, self.now()],
            )
            .context("recording the Sent copy")?;
        Ok(())
    }

    pub fn outbox_account(&self, id: i64) -> Result<i64> {
        self.conn()
            .query_row("SELECT account_id FROM outbox WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .with_context(|| format!("loading outbox entry {id}"))
    }

    pub fn outbox_mime(&self, id: i64) -> Result<(String, Vec<u8>)> {
        self.conn()
            .query_row(
                "SELECT message_id, mime FROM outbox WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .with_context(|| format!("loading outbox entry {id}"))
    }

    /// The stored message and its envelope recipients, to reopen it as a draft.
    pub fn outbox_message(&self, id: i64) -> Result<(Vec<u8>, Vec<String>)> {
        let (mime, rcpts): (Vec<u8>, String) = self
            .conn()
            .query_row(
                "SELECT mime, rcpt_to FROM outbox WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .with_context(|| format!("loading outbox entry {id}"))?;
        let rcpts =
            serde_json::from_str(&rcpts).map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
        Ok((mime, rcpts))
    }

    /// Remove a message that has not gone out (queued: the undo; failed or uncertain: the
    /// user gave up on it or is editing it into a new one). Never one mid-send or sent.
    pub fn discard(&self, id: i64) -> Result<()> {
        let removed = self
            .conn()
            .execute(
                "DELETE FROM outbox WHERE id = ?1 AND state IN ('queued', 'failed', 'uncertain')
                   AND NOT (state = 'queued' AND attempts > 0 AND results LIKE '%\"accepted\"%')",
                [id],
            )
            .context("removing an outbox message")?;
        if removed == 0 {
            return Err(Error::new(
                ErrorKind::Config,
                format!("outbox message {id} is being sent or already went out to someone; it cannot be withdrawn"),
            ));
        }
        Ok(())
    }

    /// Accepted messages whose Sent copy is not filed yet (we crashed, or APPEND failed).
    pub fn accepted_without_copy(&self, account_id: i64) -> Result<Vec<i64>> {
        self.ids_in_state(account_id, "accepted")
    }

    /// Attach a note to the account's accepted messages (a failed Sent copy).
    pub fn note_accepted(&self, account_id: i64, note: &str) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE outbox SET last_error = ?2 WHERE account_id = ?1 AND state = 'accepted'",
                params![account_id, note],
            )
            .context("noting a failed Sent copy")?;
        Ok(())
    }

    /// Messages waiting for a check or a decision.
    pub fn uncertain(&self, account_id: i64) -> Result<Vec<i64>> {
        self.ids_in_state(account_id, "uncertain")
    }

    fn ids_in_state(&self, account_id: i64, state: &str) -> Result<Vec<i64>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id FROM outbox WHERE account_id = ?1 AND state = ?2 ORDER BY id")?;
        let rows = stmt.query_map(params![account_id, state], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading the outbox")
    }

    /// An uncertain message turned out to be sent (found in Sent), or the user says so.
    pub fn settle_as_sent(&self, id: i64, copied: bool, note: &str) -> Result<()> {
        let state = if copied { "copied_to_sent" } else { "accepted" };
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let entry = tx.query_row("SELECT results FROM outbox WHERE id = ?1", [id], |r| {
            r.get::<_, String>(0)
        })?;
        let mut recipients: Vec<RecipientResult> =
            serde_json::from_str(&entry).map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
        for r in recipients
            .iter_mut()
            .filter(|r| r.state == RecipientState::Uncertain)
        {
            r.state = RecipientState::Accepted;
        }
        tx.execute(
            "UPDATE outbox SET state = ?2, results = ?3, last_error = ?4, updated_at = ?5
             WHERE id = ?1 AND state = 'uncertain'",
            params![id, state, to_json(&recipients)?, note, self.now()],
        )?;
        tx.commit().context("settling an uncertain message")
    }

    /// The user chose to send a failed or uncertain message again, to every recipient
    /// that has not accepted it.
    pub fn requeue(&self, id: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let (state, results): (String, String) = tx.query_row(
            "SELECT state, results FROM outbox WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if state != "failed" && state != "uncertain" {
            return Err(Error::new(
                ErrorKind::Config,
                format!("outbox message {id} is {state}; only failed or uncertain ones can be sent again"),
            ));
        }
        let mut recipients: Vec<RecipientResult> = serde_json::from_str(&results)
            .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
        for r in recipients
            .iter_mut()
            .filter(|r| r.state != RecipientState::Accepted)
        {
            *r = RecipientResult::pending(&r.address);
        }
        tx.execute(
            "UPDATE outbox SET state = 'queued', results = ?2, next_attempt_at = ?3,
                 last_error = NULL, updated_at = ?3
             WHERE id = ?1",
            params![id, to_json(&recipients)?, self.now()],
        )?;
        tx.commit().context("queueing the message again")
    }

    /// After a crash or kill: an attempt that never started transmitting the message is
    /// safe to repeat; one that had started may have been delivered, so it becomes
    /// `uncertain` and waits for a check or the user. Returns how many were recovered.
    ///
    /// Only for the holder of the account's send lock (`outbox::send_lock`): a row in
    /// `sending` is then provably orphaned, never another live process's attempt.
    pub fn recover_interrupted(&self, account_id: i64) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let t = self.now();
        let requeued = tx.execute(
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?1, updated_at = ?1,
                 last_error = 'interrupted before the message was sent; sending again'
             WHERE state = 'sending' AND data_started = 0 AND account_id = ?2",
            params![t, account_id],
        )?;
        // The recipients that attempt was for may have the message: uncertain, each.
        let ambiguous: Vec<(i64, String)> = tx
            .prepare(
                "SELECT id, results FROM outbox
                 WHERE state = 'sending' AND data_started = 1 AND account_id = ?1",
            )?
            .query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, results) in &ambiguous {
            let mut recipients: Vec<RecipientResult> = serde_json::from_str(results)
                .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
            for r in recipients.iter_mut().filter(|r| r.wants_attempt()) {
                r.state = RecipientState::Uncertain;
            }
            tx.execute(
                "UPDATE outbox SET state = 'uncertain', results = ?2, updated_at = ?3,
                     last_error = 'interrupted while the server was receiving the message; \
                       it may have been sent, so it was not sent again'
                 WHERE id = ?1",
                params![id, to_json(&recipients)?, t],
            )?;
        }
        tx.execute(
            "UPDATE outbox_attempts SET ended_at = ?1, outcome = 'interrupted',
                 trace = trace || CASE WHEN trace = '' THEN '' ELSE char(10) END ||
                   'interrupted: Courriel stopped during this attempt (a crash, a kill or a power cut)'
             WHERE ended_at IS NULL
               AND outbox_id IN (SELECT id FROM outbox WHERE account_id = ?2)",
            params![t, account_id],
        )?;
        tx.commit().context("recovering interrupted sends")?;
        Ok(requeued + ambiguous.len())
    }

    pub fn outbox_report(&self, id: i64) -> Result<SendReport> {
        self.conn()
            .query_row(
                &format!("SELECT {REPORT_COLUMNS} FROM outbox WHERE id = ?1"),
                [id],
                report_from_row,
            )
            .with_context(|| format!("loading outbox entry {id}"))
    }

    /// Find an outbox entry by its id or its Message-ID.
    pub fn outbox_id(&self, key: &str) -> Result<i64> {
        let key = key.trim().trim_start_matches('<').trim_end_matches('>');
        self.conn()
            .query_row(
                "SELECT id FROM outbox WHERE message_id = ?1 OR CAST(id AS TEXT) = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no outbox message {key}")))
    }

    pub fn outbox(&self, account_id: Option<i64>) -> Result<Vec<SendReport>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {REPORT_COLUMNS} FROM outbox WHERE ?1 IS NULL OR account_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([account_id], report_from_row)?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing the outbox")
    }

    pub fn attempts(&self, id: i64) -> Result<Vec<Attempt>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT started_at, ended_at, outcome, trace FROM outbox_attempts
             WHERE outbox_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Attempt {
                started_at: r.get(0)?,
                ended_at: r.get(1)?,
                outcome: r.get(2)?,
                trace: r.get(3)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading the send trace")
    }
}

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<OutboxEntry> {
    Ok(OutboxEntry {
        id: r.get(0)?,
        account_id: r.get(1)?,
        message_id: r.get(2)?,
        mail_from: r.get(3)?,
        recipients: from_json(r, 4)?,
        mime: r.get(5)?,
        attempts: r.get(6)?,
        created_at: r.get(7)?,
    })
}

fn report_from_row(r: &Row<'_>) -> rusqlite::Result<SendReport> {
    let state: String = r.get(2)?;
    let next: i64 = r.get(6)?;
    Ok(SendReport {
        outbox_id: r.get(0)?,
        message_id: r.get(1)?,
        // The CHECK constraint admits only the states `OutboxState::parse` knows.
        state: OutboxState::parse(&state).ok_or_else(|| bad_column(2, state.clone()))?,
        attempts: r.get(3)?,
        recipients: from_json(r, 4)?,
        last_error: r.get(5)?,
        next_attempt_at: (state == "queued" && next > 0).then_some(next),
    })
}

fn from_json<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|_| bad_column(i, text))
}

fn bad_column(i: usize, value: String) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(i, value, rusqlite::types::Type::Text)
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))
}
