//! Drafts being written (migration 012), one row per draft key, the draft as JSON, and
//! what their copies in the Drafts folder need (migration 015): which versions to upload,
//! which drafts' copies to delete.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::api::LocalDraft;
use crate::error::{Context, Error, ErrorKind, Result};

impl Store {
    pub fn save_local_draft(&self, d: &LocalDraft) -> Result<()> {
        let json = serde_json::to_string(&d.draft)
            .map_err(|e| Error::new(ErrorKind::Bug, format!("encoding a draft: {e}")))?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // Written from another account now: the old account's server copy goes.
        let before: Option<(String, Option<i64>)> = tx
            .query_row(
                "SELECT account_email, uploaded_at FROM local_drafts WHERE key = ?1",
                [&d.key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((account, Some(_))) = &before {
            if account != &d.account_email {
                queue_removal(&tx, account, &d.key)?;
            }
        }
        tx.execute(
            "INSERT INTO local_drafts (key, account_email, draft, saved_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO UPDATE SET
                 uploaded_at = CASE WHEN account_email = excluded.account_email
                                    THEN uploaded_at END,
                 account_email = excluded.account_email,
                 draft = excluded.draft, saved_at = excluded.saved_at",
            params![d.key, d.account_email, json, d.saved_at],
        )
        .context("saving a draft")?;
        tx.commit().context("saving a draft")
    }

    /// The account's drafts whose latest version the Drafts folder does not have yet.
    pub fn drafts_to_upload(&self, account_email: &str) -> Result<Vec<LocalDraft>> {
        self.read_drafts(
            "WHERE account_email = ?1 AND (uploaded_at IS NULL OR uploaded_at < saved_at)",
            [account_email],
        )
    }

    /// The server has the version saved at `saved_at`. False when the draft left
    /// meanwhile (sent or discarded): the copy just uploaded must go too.
    pub fn draft_uploaded(&self, key: &str, saved_at: i64) -> Result<bool> {
        let changed = self
            .conn()
            .execute(
                "UPDATE local_drafts SET uploaded_at = max(coalesce(uploaded_at, 0), ?2)
                 WHERE key = ?1",
                params![key, saved_at],
            )
            .context("noting a draft's upload")?;
        Ok(changed > 0)
    }

    /// Drafts of the account whose server copies are to be deleted.
    pub fn drafts_to_remove(&self, account_email: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT key FROM drafts_to_remove WHERE account_email = ?1")?;
        let keys = stmt.query_map([account_email], |r| r.get(0))?;
        keys.collect::<rusqlite::Result<_>>()
            .context("reading drafts to remove")
    }

    pub fn draft_removed(&self, account_email: &str, key: &str) -> Result<()> {
        self.conn()
            .execute(
                "DELETE FROM drafts_to_remove WHERE account_email = ?1 AND key = ?2",
                params![account_email, key],
            )
            .context("noting a draft's removal")?;
        Ok(())
    }

    /// Every saved draft, the most recent first.
    pub fn local_drafts(&self) -> Result<Vec<LocalDraft>> {
        self.read_drafts("", [])
    }

    /// The drafts `filter` (a WHERE clause, or nothing) selects, the most recent first. A
    /// row that no longer decodes is skipped (and kept: a later version may read it).
    fn read_drafts(&self, filter: &str, params: impl rusqlite::Params) -> Result<Vec<LocalDraft>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT key, account_email, draft, saved_at FROM local_drafts {filter}
             ORDER BY saved_at DESC"
        ))?;
        let rows = stmt
            .query_map(params, |r| {
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

    /// The draft leaves (queued or discarded); a copy on the server is queued for deletion.
    pub fn delete_local_draft(&self, key: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let uploaded: Option<String> = tx
            .query_row(
                "SELECT account_email FROM local_drafts WHERE key = ?1 AND uploaded_at IS NOT NULL",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(account) = uploaded {
            queue_removal(&tx, &account, key)?;
        }
        tx.execute("DELETE FROM local_drafts WHERE key = ?1", [key])
            .context("deleting a draft")?;
        tx.commit().context("deleting a draft")
    }

    /// Queue the deletion of `key`'s server copies (an upload that raced its deletion).
    pub fn remove_draft_copies(&self, account_email: &str, key: &str) -> Result<()> {
        queue_removal(&self.conn(), account_email, key)
    }
}

fn queue_removal(conn: &rusqlite::Connection, account_email: &str, key: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO drafts_to_remove (account_email, key) VALUES (?1, ?2)",
        params![account_email, key],
    )
    .context("queueing a draft's removal from the server")?;
    Ok(())
}
