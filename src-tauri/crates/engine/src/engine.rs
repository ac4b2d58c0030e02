//! The Engine facade: one async method per user action. The CLI and the desktop app call
//! these and nothing else.

use std::path::Path;
use std::sync::Arc;

use crate::api::{Account, Draft, MessageSummary, NewAccount, OutboxState, SendReport, SyncReport};
use crate::auth::secrets::SecretStore;
use crate::error::{Context, Error, ErrorKind, Result};
use crate::store::Store;

pub struct Engine {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
}

impl Engine {
    /// Open the cache in `data_dir` (see `store::resolve_data_dir`).
    pub fn open(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Engine> {
        Ok(Engine {
            store: Arc::new(Store::open(data_dir)?),
            secrets,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Add an account configured by hand. (Verification and autoconfig: accounts issue.)
    pub async fn add_account(&self, new: NewAccount) -> Result<Account> {
        if let Some(ca) = &new.ca_file {
            crate::tls::read_ca_file(Path::new(ca))?;
        }
        self.blocking(move |store| store.insert_account(&new)).await
    }

    pub async fn accounts(&self) -> Result<Vec<Account>> {
        self.blocking(|store| store.accounts()).await
    }

    pub async fn account(&self, email: &str) -> Result<Account> {
        let email = email.to_owned();
        self.blocking(move |store| store.account_by_email(&email))
            .await
    }

    /// The unified inbox, newest first.
    pub async fn list_inbox(&self, limit: u32) -> Result<Vec<MessageSummary>> {
        self.blocking(move |store| store.unified_inbox(limit)).await
    }

    /// Sync the account's INBOX into the cache.
    pub async fn sync(&self, email: &str) -> Result<SyncReport> {
        let account = self.account(email).await?;
        let password = self.secrets.password(&account)?;
        let mut session = crate::imap::connect(&account, &password).await?;
        let report = crate::imap::sync_inbox(&self.store, &account, &mut session)
            .await
            .with_context(|| format!("syncing {}", account.email))?;
        session.logout().await.ok(); // the sync is saved; a failed LOGOUT changes nothing
        Ok(report)
    }

    /// Send a plain-text message: queue it in the outbox (written before any network I/O),
    /// then submit it once. Retries and pacing come with the SMTP issue.
    pub async fn send(&self, email: &str, draft: Draft) -> Result<SendReport> {
        let account = self.account(email).await?;
        let built = crate::mime::build::plain_text(&account, &draft)?;
        let password = self.secrets.password(&account)?;
        let id = self.store.enqueue(
            account.id,
            &built.message_id,
            &built.mail_from,
            &built.rcpt_to,
            &built.mime,
        )?;
        self.store.begin_attempt(id)?;
        let outcome = crate::smtp::submit(
            &account,
            &password,
            &built.mail_from,
            &built.rcpt_to,
            &built.mime,
        )
        .await;
        let report = self.record(id, &built.message_id, outcome)?;
        Ok(report)
    }

    fn record(
        &self,
        id: i64,
        message_id: &str,
        outcome: Result<crate::smtp::Submission>,
    ) -> Result<SendReport> {
        let submission = match outcome {
            Ok(s) => s,
            Err(e) => {
                self.store
                    .finish_attempt(id, OutboxState::Failed, &[], Some(&e.message))?;
                return Err(e);
            }
        };
        let (state, data_reply, error) = match &submission.data_reply {
            Some(Ok(text)) => (OutboxState::Accepted, Some(text.clone()), None),
            Some(Err(r)) => (
                OutboxState::Failed,
                Some(format!("{} {}", r.code, r.text)),
                Some(format!(
                    "the server refused the message: {} {}",
                    r.code, r.text
                )),
            ),
            None if submission.uncertain => (
                OutboxState::Uncertain,
                None,
                Some("the connection dropped before the server confirmed".to_owned()),
            ),
            None => (
                OutboxState::Failed,
                None,
                Some("every recipient was refused".to_owned()),
            ),
        };
        self.store
            .finish_attempt(id, state, &submission.recipients, error.as_deref())?;
        Ok(SendReport {
            outbox_id: id,
            message_id: message_id.to_owned(),
            state,
            recipients: submission.recipients,
            data_reply,
        })
    }

    /// Run a store call off the async threads.
    async fn blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| Error::new(ErrorKind::Bug, format!("a store task failed: {e}")))?
    }
}
