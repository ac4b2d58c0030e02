//! The app's message list grouped by conversation (the `groupConversations` setting): one
//! row per thread, its newest message standing for it (`store::conversations`). The flat
//! lists (`folder_ids`, `inbox_ids`...) stay as they are for the CLI and the notifier;
//! the app picks one kind or the other by the setting, and search results are never
//! grouped (they are messages that matched, not conversations).

use crate::api::MessageSummary;
use crate::engine::Engine;
use crate::error::Result;

impl Engine {
    /// The unified inbox's first `limit` rows, one per conversation, newest first.
    pub async fn inbox_conversations(&self, limit: u32) -> Result<Vec<MessageSummary>> {
        self.blocking(move |s| s.inbox_conversations(limit)).await
    }

    /// A folder's first `limit` rows (the folder named as for `folder_messages`), one per
    /// conversation, newest first.
    pub async fn folder_conversations(
        &self,
        email: &str,
        folder: &str,
        limit: u32,
    ) -> Result<Vec<MessageSummary>> {
        let account = self.account(email).await?;
        let folder = folder.to_owned();
        self.blocking(move |s| {
            s.folder_conversations(s.find_folder(account.id, &folder)?.id, limit)
        })
        .await
    }

    /// The unified inbox's rows as ids: each conversation's newest message, newest first.
    pub async fn inbox_conversation_ids(&self) -> Result<Vec<i64>> {
        self.blocking(|s| s.inbox_conversation_ids()).await
    }

    /// A folder's rows as ids, one per conversation, newest first.
    pub async fn folder_conversation_ids(&self, email: &str, folder: &str) -> Result<Vec<i64>> {
        let account = self.account(email).await?;
        let folder = folder.to_owned();
        self.blocking(move |s| s.folder_conversation_ids(s.find_folder(account.id, &folder)?.id))
            .await
    }

    /// The summaries of grouped rows in view, each with what its conversation holds.
    pub async fn conversation_summaries(&self, ids: Vec<i64>) -> Result<Vec<MessageSummary>> {
        self.blocking(move |s| s.conversation_summaries(&ids)).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::api::{Endpoint, NewAccount, Protocol, Security};
    use crate::auth::secrets::NoSecrets;
    use crate::store::messages::NewMessage;
    use crate::Engine;

    fn account() -> NewAccount {
        let endpoint = Endpoint {
            host: "127.0.0.1".into(),
            port: 9,
            security: Security::Tls,
        };
        NewAccount {
            email: "ann@example.test".into(),
            display_name: "Ann".into(),
            username: "ann@example.test".into(),
            protocol: Protocol::Imap,
            incoming: endpoint.clone(),
            smtp: endpoint,
            ca_file: None,
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        }
    }

    fn message(uid: u32, id: &str, refs: &[&str]) -> NewMessage {
        NewMessage {
            uid,
            message_id: Some(id.into()),
            refs: refs.iter().map(|r| (*r).to_owned()).collect(),
            subject: "Lunch".into(),
            from_addr: "zoe@example.test".into(),
            date: i64::from(uid),
            has_body: true,
            ..NewMessage::default()
        }
    }

    #[tokio::test]
    async fn grouping_is_on_by_default_kept_when_turned_off_and_lists_group_by_name() {
        let dir = tempfile::tempdir().expect("dir");
        {
            let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("open");
            let settings = engine.settings().await.expect("settings");
            assert!(settings.group_conversations, "on by default");
            let off = crate::api::Settings {
                group_conversations: false,
                ..settings
            };
            engine.set_settings(off).await.expect("save");
            let id = engine.add_account(account()).await.expect("account").id;
            let inbox = engine
                .store()
                .folder(id, "INBOX", Some("inbox"))
                .expect("inbox");
            let batch = [
                message(1, "a@x", &[]),
                message(2, "b@x", &["a@x"]),
                message(3, "c@x", &["b@x"]),
            ];
            engine
                .store()
                .insert_batch(id, inbox.id, &batch)
                .expect("insert");
        }
        let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("reopen");
        assert!(!engine.settings().await.expect("read").group_conversations);
        let email = "ann@example.test";
        let rows = engine
            .folder_conversations(email, "inbox", 10)
            .await
            .expect("rows");
        assert_eq!(rows.len(), 1, "three messages of one thread: one row");
        assert_eq!(rows[0].uid, 3, "the newest stands for it");
        assert_eq!(rows[0].conversation.as_ref().map(|c| c.count), Some(3));
        let ids = engine
            .folder_conversation_ids(email, "INBOX")
            .await
            .expect("ids");
        assert_eq!(ids, vec![rows[0].id]);
        assert_eq!(engine.inbox_conversation_ids().await.expect("inbox"), ids);
        assert_eq!(
            engine.folder_ids(email, "INBOX").await.expect("flat").len(),
            3
        );
    }
}
