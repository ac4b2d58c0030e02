//! Senders whose remote content the user allowed always (migration 010). Addresses are
//! kept lower-cased so "Zoe@Example.org" and "zoe@example.org" are one sender.

use rusqlite::params;

use super::Store;
use crate::error::{Context, Result};

impl Store {
    pub fn allow_remote_content(&self, address: &str, now: i64) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO remote_content_senders (address, allowed_at) VALUES (?1, ?2)
                 ON CONFLICT (address) DO UPDATE SET allowed_at = excluded.allowed_at",
                params![address.trim().to_lowercase(), now],
            )
            .context("saving the remote-content choice")?;
        Ok(())
    }

    pub fn forbid_remote_content(&self, address: &str) -> Result<()> {
        self.conn()
            .execute(
                "DELETE FROM remote_content_senders WHERE address = ?1",
                [address.trim().to_lowercase()],
            )
            .context("forgetting the remote-content choice")?;
        Ok(())
    }

    pub fn remote_content_allowed(&self, address: &str) -> Result<bool> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM remote_content_senders WHERE address = ?1",
                [address.trim().to_lowercase()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .context("reading the remote-content choice")
    }
}
