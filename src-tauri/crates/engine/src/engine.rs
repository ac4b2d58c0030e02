//! The Engine facade: one async method per user action. The CLI and the desktop app call
//! these and nothing else. This file holds the struct, opening it and the clock; the
//! actions live with their concern (`outbox`, `mailbox`, `signin`, `drafts`...), each an
//! `impl Engine` block.

use std::path::Path;
use std::sync::Arc;

use crate::api::{Account, MessageSummary, NewAccount};
use crate::auth::secrets::SecretStore;
use crate::error::{Context, Result};
use crate::store::Store;

pub struct Engine {
    pub(crate) store: Arc<Store>,
    pub(crate) secrets: Arc<dyn SecretStore>,
    /// The keychain-backed store, when the engine has one (app, CLI): what adding and
    /// signing in to accounts saves secrets into.
    pub(crate) credentials: Option<Arc<crate::auth::credentials::Credentials>>,
    clock: crate::clock::Clock,
    /// IMAP sessions kept open between operations (`imap::pool`).
    pub(crate) sessions: crate::imap::pool::Pool,
    /// Counts sign-ins (a new password or new tokens): a refusal met by an attempt that
    /// began before the latest one used the old credential (`note_sign_in`).
    pub(crate) sign_ins: std::sync::atomic::AtomicU64,
    /// The last IMAP commands this engine's sessions sent (`Engine::imap_commands`).
    pub(crate) commands: Arc<crate::imap::CommandLog>,
}

impl Engine {
    /// Open the cache in `data_dir` (see `store::resolve_data_dir`).
    pub fn open(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Engine> {
        Ok(Engine {
            store: Arc::new(Store::open(data_dir)?),
            secrets,
            credentials: None,
            clock: crate::clock::system(),
            sessions: Default::default(),
            sign_ins: Default::default(),
            commands: Default::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, shared: for callers that hand it to other threads (sync internals).
    pub fn shared_store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Keep new accounts' secrets in `credentials` while reading secrets from wherever
    /// `open` was told (the CLI reads them from its environment when one is set there).
    pub fn with_credentials(
        mut self,
        credentials: Arc<crate::auth::credentials::Credentials>,
    ) -> Engine {
        self.credentials = Some(credentials);
        self
    }

    /// Open the cache with keychain-backed credentials: the app and the CLI.
    pub fn open_with_credentials(
        data_dir: &Path,
        credentials: Arc<crate::auth::credentials::Credentials>,
    ) -> Result<Engine> {
        let mut engine = Engine::open(data_dir, credentials.clone())?;
        engine.credentials = Some(credentials);
        Ok(engine)
    }

    /// Record an account's settings as given, without checking them or saving a secret
    /// (tests, scripts whose secrets come from elsewhere). People add accounts with
    /// `create_account` or `finish_oauth_account`, which verify and use the keychain.
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

    /// The account's folders with unread and total counts.
    pub async fn folders(&self, email: &str) -> Result<Vec<crate::api::Folder>> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.folders(account.id)).await
    }

    /// The unified inbox, newest first.
    pub async fn list_inbox(&self, limit: u32) -> Result<Vec<MessageSummary>> {
        self.blocking(move |store| store.unified_inbox(limit)).await
    }

    /// The accounts background work (sending, copying drafts) may use: one that needs the
    /// user to sign in again would only be refused again (and a provider may lock an
    /// account that keeps trying a wrong password). Its work waits; signing in lets it go.
    ///
    /// A secret given for this run (`COURRIEL_PASSWORD` in a script) is tried on every
    /// account: it may be the new one, and a login that works clears the mark
    /// (`note_sign_in`); one that is refused marks it again, once per run.
    /// One cached message as the list shows it.
    pub async fn summary(&self, id: i64) -> Result<MessageSummary> {
        self.blocking(move |s| s.summary(id)).await
    }

    pub(crate) async fn signed_in_accounts(&self) -> Result<Vec<Account>> {
        let mut accounts = self.accounts().await?;
        if !self.secrets.given_for_this_run() {
            accounts.retain(|a| a.needs_signin.is_none());
        }
        Ok(accounts)
    }

    /// Replace the clock: for tests and simulations of time-based behaviour (retries,
    /// pacing). Unix seconds.
    /// The store's timestamps and the credentials' token expiry follow it too.
    pub fn set_clock(&mut self, clock: crate::clock::Clock) {
        self.store.set_clock(clock.clone());
        if let Some(credentials) = &self.credentials {
            credentials.set_clock(clock.clone());
        }
        self.clock = clock;
    }

    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }

    /// What a POP3 account does with messages on the server.
    pub async fn set_pop3_retention(
        &self,
        email: &str,
        retention: crate::store::pop3::Retention,
    ) -> Result<()> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.set_pop3_retention(account.id, retention))
            .await
    }

    /// Delete a cached message here (for POP3: only here, unless the retention mirrors).
    pub async fn delete_local(&self, message_id: i64) -> Result<()> {
        self.blocking(move |s| s.delete_local(message_id)).await
    }

    /// Run a store call off the async threads.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .context("a store task failed")?
    }
}
