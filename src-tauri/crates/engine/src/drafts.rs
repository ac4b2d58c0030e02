//! Drafts being written in the app, saved to the cache every few seconds and when the
//! window closes, so that neither closing nor a crash loses one (SQLite commits are
//! durable; a webview's local storage is flushed when it pleases). A draft leaves when it
//! is queued (the outbox holds it from then on) or discarded.

use crate::api::LocalDraft;
use crate::engine::Engine;
use crate::error::Result;

impl Engine {
    pub async fn save_local_draft(&self, draft: LocalDraft) -> Result<()> {
        self.blocking(move |s| s.save_local_draft(&draft)).await
    }

    /// Every saved draft, the most recent first.
    pub async fn local_drafts(&self) -> Result<Vec<LocalDraft>> {
        self.blocking(|s| s.local_drafts()).await
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
}
