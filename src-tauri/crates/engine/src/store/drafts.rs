//! Drafts being written (migration 012), one row per draft key, the draft as JSON.

use rusqlite::params;

use super::Store;
use crate::api::LocalDraft;
use crate::error::{Context, Error, ErrorKind, Result};

impl Store {
    pub fn save_local_draft(&self, d: &LocalDraft) -> Result<()> {
        let json = serde_json::to_string(&d.draft)
            .map_err(|e| Error::new(ErrorKind::Bug, format!("encoding a draft: {e}")))?;
        self.conn()
            .execute(
                "INSERT INTO local_drafts (key, account_email, draft, saved_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET account_email = excluded.account_email,
                     draft = excluded.draft, saved_at = excluded.saved_at",
                params![d.key, d.account_email, json, d.saved_at],
            )
            .context("saving a draft")?;
        Ok(())
    }

    /// Every saved draft, the most recent first. A row that no longer decodes is skipped
    /// (and kept: a later version may read it).
    pub fn local_drafts(&self) -> Result<Vec<LocalDraft>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT key, account_email, draft, saved_at FROM local_drafts ORDER BY saved_at DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("reading drafts")?;
        Ok(rows
            .into_iter()
            .filter_map(|(key, account_email, json, saved_at)| {
                Some(LocalDraft {
                    key,
                    account_email,
                    draft: serde_json::from_str(&json).ok()?,
                    saved_at,
                })
            })
            .collect())
    }

    pub fn delete_local_draft(&self, key: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM local_drafts WHERE key = ?1", [key])
            .context("deleting a draft")?;
        Ok(())
    }
}
