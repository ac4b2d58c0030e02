//! Drafts being written in the app, saved to the cache every few seconds and when the
//! window closes, so that neither closing nor a crash loses one (SQLite commits are
//! durable; a webview's local storage is flushed when it pleases). A draft leaves when it
//! is queued (the outbox holds it from then on) or discarded. `sync_drafts` copies them to
//! each IMAP account's Drafts folder and deletes the copies of those that left
//! (`imap::drafts`); the app runs it at most every half minute while drafts change.

use crate::api::{LocalDraft, Protocol};
use crate::engine::Engine;
use crate::error::Result;

impl Engine {
    /// Bring every IMAP account's Drafts folder up to date with the drafts here: new
    /// versions uploaded, drafts that left deleted. Accounts with nothing to do are not
    /// connected to; one that needs sign-in waits. Every account is tried; the first
    /// failure is returned after. Returns how many drafts went up or were removed.
    pub async fn sync_drafts(&self) -> Result<u32> {
        let mut done = 0;
        let mut failed = None;
        for account in self.signed_in_accounts().await? {
            if account.protocol != Protocol::Imap {
                continue;
            }
            let email = account.email.clone();
            let pending = self
                .blocking(move |s| {
                    Ok(!s.drafts_to_upload(&email)?.is_empty()
                        || !s.drafts_to_remove(&email)?.is_empty())
                })
                .await?;
            if !pending {
                continue;
            }
            match self
                .with_session(&account, crate::mailbox::Remote::Drafts)
                .await
            {
                Ok(n) => done += n,
                Err(e) => {
                    tracing::warn!("copying the drafts of {} to the server: {e}", account.email);
                    failed.get_or_insert(e);
                }
            }
        }
        failed.map_or(Ok(done), Err)
    }

    /// Continue writing a draft found in a Drafts folder, written on another device: it
    /// becomes a draft being written here. A copy of a Courriel draft keeps its key, so
    /// the next upload replaces it on every device (last writer wins); a draft from
    /// another client gets a new key and its original goes to Trash (recoverable), the
    /// draft living on here and, within a round, in Drafts again.
    pub async fn edit_draft(&self, id: i64) -> Result<LocalDraft> {
        let summary = self.blocking(move |s| s.summary(id)).await?;
        let account = self.account(&summary.account_email).await?;
        let mut raw = self.blocking(move |s| s.raw(id)).await.unwrap_or_default();
        if raw.is_empty() {
            // Only its headers are cached (older than the body window): fetch it.
            self.with_session(&account, crate::mailbox::Remote::FetchBody(id))
                .await?;
            raw = self.blocking(move |s| s.raw(id)).await?;
        }
        let (draft, key) = crate::mime::reopen::reopen_draft(&raw)?;
        let now_ms = self.now() * 1000;
        if let Some(key) = &key {
            let here = self
                .local_drafts()
                .await?
                .into_iter()
                .find(|d| &d.key == key);
            if let Some(here) = here {
                return Ok(here); // written here: this device's version is the latest
            }
        }
        let local = LocalDraft {
            key: key.clone().unwrap_or_else(|| format!("draft-{now_ms}")),
            account_email: account.email.clone(),
            draft,
            saved_at: now_ms,
        };
        let saved = local.clone();
        let from_courriel = key.is_some();
        self.blocking(move |s| {
            s.save_local_draft(&saved)?;
            if from_courriel {
                s.draft_uploaded(&saved.key, saved.saved_at)?; // the server has it already
            }
            Ok(())
        })
        .await?;
        if !from_courriel {
            self.act(id, crate::api::MessageAction::Delete).await?;
        }
        Ok(local)
    }

    pub async fn save_local_draft(&self, draft: LocalDraft) -> Result<()> {
        self.blocking(move |s| s.save_local_draft(&draft)).await
    }

    /// Every saved draft, the most recent first. Their HTML is cleaned again on the way
    /// out, as for a draft from the server: one saved by an older version was not.
    pub async fn local_drafts(&self) -> Result<Vec<LocalDraft>> {
        let mut drafts = self.blocking(|s| s.local_drafts()).await?;
        for d in &mut drafts {
            d.draft.html = d
                .draft
                .html
                .as_deref()
                .map(crate::html::sanitize_for_editor);
        }
        Ok(drafts)
    }

    pub async fn delete_local_draft(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.blocking(move |s| s.delete_local_draft(&key)).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::api::{Draft, LocalDraft};
    use crate::auth::secrets::NoSecrets;
    use crate::engine::Engine;

    #[tokio::test]
    async fn drafts_survive_a_reopen_and_leave_when_deleted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let draft = |subject: &str, at| LocalDraft {
            key: "d1".into(),
            account_email: "me@example.test".into(),
            draft: Draft {
                to: vec!["bob@example.test".into()],
                subject: subject.into(),
                body: "hi".into(),
                ..Draft::default()
            },
            saved_at: at,
        };
        {
            let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("open");
            engine
                .save_local_draft(draft("first", 1))
                .await
                .expect("save");
            engine
                .save_local_draft(draft("edited", 2))
                .await
                .expect("save again");
        }
        let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("reopen");
        let saved = engine.local_drafts().await.expect("list");
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].draft.subject, "edited");
        engine.delete_local_draft("d1").await.expect("delete");
        assert!(engine.local_drafts().await.expect("list").is_empty());
    }

    #[test]
    fn a_draft_moved_to_another_account_leaves_the_first_accounts_drafts_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = crate::store::Store::open(dir.path()).expect("open");
        let draft = |account: &str, at| LocalDraft {
            key: "d1".into(),
            account_email: account.into(),
            draft: Draft::default(),
            saved_at: at,
        };
        store.save_local_draft(&draft("a@x", 1)).expect("save");
        assert_eq!(store.drafts_to_upload("a@x").expect("uploads").len(), 1);
        assert!(store.draft_uploaded("d1", 1).expect("uploaded"));
        assert!(store.drafts_to_upload("a@x").expect("uploads").is_empty());
        // Edited: the new version is due; moved to b@x: b uploads it, a's copy goes.
        store.save_local_draft(&draft("a@x", 2)).expect("edit");
        assert_eq!(store.drafts_to_upload("a@x").expect("uploads").len(), 1);
        store.save_local_draft(&draft("b@x", 3)).expect("move");
        assert!(store.drafts_to_upload("a@x").expect("uploads").is_empty());
        assert_eq!(store.drafts_to_upload("b@x").expect("uploads").len(), 1);
        assert_eq!(store.drafts_to_remove("a@x").expect("removals"), ["d1"]);
        // Sent before its upload was recorded: the upload says so, the copy is queued to go.
        store.delete_local_draft("d1").expect("sent");
        assert!(!store.draft_uploaded("d1", 3).expect("gone"));
        assert!(store.drafts_to_remove("b@x").expect("removals").is_empty());
    }
}
