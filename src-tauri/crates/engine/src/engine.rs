//! The Engine facade: one async method per user action. The CLI and the desktop app call
//! these and nothing else.

use std::path::Path;
use std::sync::Arc;

use crate::api::{Account, Draft, MessageSummary, NewAccount, SendReport, SyncReport};
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

    /// Send a plain-text message: build it (Message-ID and Date fixed), queue it in the
    /// outbox before any network I/O, then drain the account's queue.
    pub async fn send(&self, email: &str, draft: Draft) -> Result<SendReport> {
        let account = self.account(email).await?;
        let built = crate::mime::build::plain_text(&account, &draft)?;
        let id = self.store.enqueue(
            account.id,
            &built.message_id,
            &built.mail_from,
            &built.rcpt_to,
            &built.mime,
        )?;
        self.deliver_due(&account).await?;
        self.store.outbox_report(id)
    }

    /// Send every message of the account that is due, oldest first. Stops at the first
    /// connection-level failure (the server is down or refuses us): the rest would fail
    /// the same way, and all of it is retried later.
    pub async fn deliver_due(&self, account: &Account) -> Result<()> {
        while let Some(entry) = self.store.next_due(account.id, crate::store::now())? {
            let password = self.secrets.password(account)?;
            if let Err(e) =
                crate::smtp::deliver::attempt(&self.store, account, &password, entry).await
            {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Resume after a restart: settle interrupted attempts, then send what is due.
    pub async fn resume_outbox(&self) -> Result<Vec<SendReport>> {
        self.store.recover_interrupted()?;
        for account in self.accounts().await? {
            self.deliver_due(&account).await?;
        }
        self.store.outbox(None)
    }

    pub async fn outbox(&self) -> Result<Vec<SendReport>> {
        self.blocking(|store| store.outbox(None)).await
    }

    /// The recorded SMTP conversations of an outbox message (by id or Message-ID).
    pub async fn trace(
        &self,
        key: &str,
    ) -> Result<(SendReport, Vec<crate::store::outbox::Attempt>)> {
        let key = key.to_owned();
        self.blocking(move |store| {
            let id = store.outbox_id(&key)?;
            Ok((store.outbox_report(id)?, store.attempts(id)?))
        })
        .await
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
