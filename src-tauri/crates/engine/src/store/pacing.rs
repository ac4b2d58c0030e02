//! The pacing log and per-account limits (see `outbox::pacing`).

use rusqlite::params;

use super::Store;
use crate::error::{Context, Result};

/// Recipients per minute and per day an account may send to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_minute: u32,
    pub per_day: u32,
}

/// What the pacing decision needs from the store.
#[derive(Debug, Clone, Copy)]
pub struct PacingState {
    pub configured: Limits,
    pub slowed_until: i64,
    pub last_minute: u32,
    pub last_day: u32,
    pub oldest_in_minute: Option<i64>,
    pub oldest_in_day: Option<i64>,
}

impl Store {
    pub fn pacing_state(&self, account_id: i64, now: i64) -> Result<PacingState> {
        let conn = self.conn();
        let (per_minute, per_day, slowed_until) = conn
            .query_row(
                "SELECT per_minute, per_day, slowed_until FROM accounts WHERE id = ?1",
                [account_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .context("reading the sending limits")?;
        let window = |secs: i64| {
            conn.query_row(
                "SELECT coalesce(sum(recipients), 0), min(at) FROM pacing
                 WHERE account_id = ?1 AND at > ?2",
                params![account_id, now - secs],
                |r| Ok((r.get::<_, u32>(0)?, r.get::<_, Option<i64>>(1)?)),
            )
        };
        let (last_minute, oldest_in_minute) = window(60).context("counting the last minute")?;
        let (last_day, oldest_in_day) = window(86_400).context("counting the last day")?;
        Ok(PacingState {
            configured: Limits {
                per_minute,
                per_day,
            },
            slowed_until,
            last_minute,
            last_day,
            oldest_in_minute,
            oldest_in_day,
        })
    }

    /// Log recipients handed to the server; entries older than a day are pruned.
    pub fn record_pacing(&self, account_id: i64, at: i64, recipients: u32) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO pacing (account_id, at, recipients) VALUES (?1, ?2, ?3)",
            params![account_id, at, recipients],
        )
        .context("logging sent recipients")?;
        conn.execute(
            "DELETE FROM pacing WHERE account_id = ?1 AND at <= ?2",
            params![account_id, at - 86_400],
        )
        .context("pruning the pacing log")?;
        Ok(())
    }

    pub fn slow_down(&self, account_id: i64, until: i64) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET slowed_until = max(slowed_until, ?2) WHERE id = ?1",
                params![account_id, until],
            )
            .context("lowering the sending rate")?;
        Ok(())
    }

    pub fn set_limits(&self, account_id: i64, per_minute: u32, per_day: u32) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET per_minute = ?2, per_day = ?3 WHERE id = ?1",
                params![account_id, per_minute, per_day],
            )
            .context("saving the sending limits")?;
        Ok(())
    }
}
