//! The Engine facade: one async method per user action. The CLI and the desktop app call
//! these and nothing else.

use std::path::Path;
use std::sync::Arc;

use crate::api::{Account, Draft, MessageSummary, NewAccount, SendReport};
use crate::auth::secrets::SecretStore;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;

pub struct Engine {
    pub(crate) store: Arc<Store>,
    pub(crate) secrets: Arc<dyn SecretStore>,
    /// The keychain-backed store, when the engine has one (app, CLI): what adding and
    /// signing in to accounts saves secrets into.
    pub(crate) credentials: Option<Arc<crate::auth::credentials::Credentials>>,
    clock: Arc<dyn Fn() -> i64 + Send + Sync>,
    /// IMAP sessions kept open between operations (`imap::pool`).
    pub(crate) sessions: crate::imap::pool::Pool,
    /// Counts sign-ins (a new password or new tokens): a refusal met by an attempt that
    /// began before the latest one used the old credential (`note_sign_in`).
    pub(crate) sign_ins: std::sync::atomic::AtomicU64,
}

impl Engine {
    /// Open the cache in `data_dir` (see `store::resolve_data_dir`).
    pub fn open(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Engine> {
        Ok(Engine {
            store: Arc::new(Store::open(data_dir)?),
            secrets,
            credentials: None,
            clock: Arc::new(crate::store::now),
            sessions: Default::default(),
            sign_ins: Default::default(),
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

    /// Send a message now: queue it, then drain the account's queue. A message the
    /// server turned out to be too small for (its SIZE, learned on this connection) is an
    /// error too; it stays in the outbox, failed, to be edited.
    pub async fn send(&self, email: &str, draft: Draft) -> Result<SendReport> {
        let report = self.queue(email, draft, None).await?;
        let account = self.account(email).await?;
        self.deliver_due(&account).await?;
        let report = self.store.outbox_report(report.outbox_id)?;
        if report.state == crate::api::OutboxState::Failed {
            let (_, mime) = self.store.outbox_mime(report.outbox_id)?;
            let limit = self.store.smtp_max_size(account.id)?;
            crate::smtp::check_size(&account, mime.len(), limit)?;
        }
        Ok(report)
    }

    /// The largest message the account's server takes, as last seen (EHLO `SIZE`), in
    /// bytes: Compose warns before attachments pass it.
    pub async fn send_size_limit(&self, email: &str) -> Result<Option<u64>> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.smtp_max_size(account.id)).await
    }

    /// Build the message (Message-ID and Date fixed) and write it to the outbox, before
    /// any network I/O. `not_before` (unix seconds) holds it back: the undo window, or
    /// "send later".
    pub async fn queue(
        &self,
        email: &str,
        draft: Draft,
        not_before: Option<i64>,
    ) -> Result<SendReport> {
        let account = self.account(email).await?;
        let built = crate::mime::build::build(&account, &draft)?;
        // Over the server's known limit: refused before it is queued, so nothing is
        // uploaded and the draft stays with the user.
        let limit = self.store.smtp_max_size(account.id)?;
        crate::smtp::check_size(&account, built.mime.len(), limit)?;
        self.blocking(move |store| {
            let id = store.enqueue(
                account.id,
                &built.message_id,
                &built.mail_from,
                &built.rcpt_to,
                &built.mime,
            )?;
            if let Some(at) = not_before {
                store.hold_until(id, at)?;
            }
            store.outbox_report(id)
        })
        .await
    }

    /// Send every message of the account that is due, oldest first, then file the Sent
    /// copies. Stops at the first connection-level failure (the server is down or refuses
    /// us): the rest would fail the same way, and all of it is retried later.
    ///
    /// Holds the account's send lock throughout (`smtp::send_lock`): another process or
    /// task sending from this account is waited for, and what it left in `sending` when
    /// it died is recovered first.
    pub async fn deliver_due(&self, account: &Account) -> Result<()> {
        let _lock = self.recover(account).await?;
        let since = self.sign_in_count();
        let result = self.deliver_due_now(account).await;
        self.note_sign_in(account, since, &result);
        result
    }

    /// Take the account's send lock, then settle what a sender that is gone left
    /// mid-attempt. The lock is returned: hold it to send.
    async fn recover(&self, account: &Account) -> Result<crate::smtp::send_lock::SendLock> {
        use crate::smtp::send_lock::SendLock;
        let (dir, id) = (self.store.data_dir().to_path_buf(), account.id);
        let lock = match SendLock::try_acquire(&dir, id)? {
            Some(lock) => lock,
            None => {
                tracing::info!(
                    "{}: another Courriel process is sending this account's mail; waiting for it",
                    account.email
                );
                tokio::task::spawn_blocking(move || SendLock::acquire(&dir, id))
                    .await
                    .map_err(|e| {
                        Error::new(ErrorKind::Bug, format!("waiting for the send lock: {e}"))
                    })??
            }
        };
        let recovered = self.store.recover_interrupted(account.id)?;
        if recovered > 0 {
            tracing::info!(
                "{}: settled {recovered} send(s) interrupted by a crash",
                account.email
            );
        }
        Ok(lock)
    }

    async fn deliver_due_now(&self, account: &Account) -> Result<()> {
        use crate::smtp::deliver;
        let mut session = None;
        while let Some(entry) = self.store.next_due(account.id, self.now())? {
            let budget = self.budget(account)?;
            if budget.recipients == 0 {
                // The limit is reached: everything waits for the window, nothing fails.
                self.store.hold_until(entry.id, budget.frees_at)?;
                continue;
            }
            let secrets = self.secrets.as_ref();
            let outcome =
                deliver::attempt(&self.store, account, secrets, entry, &mut session, budget)
                    .await?;
            self.store
                .record_pacing(account.id, budget.now, outcome.tried)?;
            if outcome.slow_down {
                self.store
                    .slow_down(account.id, budget.now + crate::smtp::pacing::SLOW_DOWN_SECS)?;
            }
        }
        if let Some(session) = session {
            session.close().await;
        }
        // A failed copy does not make the send fail: the message went out. It is noted
        // on the message and tried again on the next run.
        let secret = self.secrets.secret(account).await?;
        if let Err(e) = deliver::file_sent_copies(&self.store, account, &secret).await {
            let note = format!("sent, but filing the copy in Sent failed: {}", e.message);
            self.store.note_accepted(account.id, &note)?;
        }
        Ok(())
    }

    /// Drain the outbox until nothing is queued, waiting for retry times and pacing
    /// windows in between: what keeps a paced 200-recipient send going until it is done.
    /// `max_wait_secs` caps the total waiting (a 4xx retry can be hours away); returns
    /// the outbox as it stands then.
    pub async fn run_outbox(&self, max_wait_secs: i64) -> Result<Vec<SendReport>> {
        let deadline = self.now() + max_wait_secs;
        loop {
            for account in self.signed_in_accounts().await? {
                self.deliver_due(&account).await?;
            }
            let Some(next) = self.store.next_queued_at()? else {
                break;
            };
            if next > deadline {
                break;
            }
            let wait = (next - self.now()).clamp(0, 3600) as u64;
            tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
        }
        self.store.outbox(None)
    }

    /// The accounts background work (sending, copying drafts) may use: one that needs the
    /// user to sign in again would only be refused again (and a provider may lock an
    /// account that keeps trying a wrong password). Its work waits; signing in lets it go.
    ///
    /// A secret given for this run (`COURRIEL_PASSWORD` in a script) is tried on every
    /// account: it may be the new one, and a login that works clears the mark
    /// (`note_sign_in`); one that is refused marks it again, once per run.
    pub(crate) async fn signed_in_accounts(&self) -> Result<Vec<Account>> {
        let mut accounts = self.accounts().await?;
        if !self.secrets.given_for_this_run() {
            accounts.retain(|a| a.needs_signin.is_none());
        }
        Ok(accounts)
    }

    /// What the account's sending limits allow right now.
    fn budget(&self, account: &Account) -> Result<crate::smtp::deliver::Budget> {
        use crate::smtp::pacing;
        let now = self.now();
        let state = self.store.pacing_state(account.id, now)?;
        let default = pacing::defaults_for(&account.email, &account.smtp.host);
        let limits = pacing::effective(state.configured, default, state.slowed_until > now);
        let allowed = pacing::allowance(limits, state.last_minute, state.last_day);
        let day_bound = state.last_day + allowed >= limits.per_day;
        // The window frees up when its oldest entry leaves it; this attempt's own entry
        // (at `now`) counts when the window is empty so far.
        let frees_at = if day_bound {
            state.oldest_in_day.unwrap_or(now).min(now) + 86_400
        } else {
            state.oldest_in_minute.unwrap_or(now).min(now) + 60
        };
        Ok(crate::smtp::deliver::Budget {
            recipients: allowed as usize,
            frees_at,
            now,
        })
    }

    /// Set the account's sending limits (0 = the provider's default).
    pub async fn set_send_limits(&self, email: &str, per_minute: u32, per_day: u32) -> Result<()> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.set_limits(account.id, per_minute, per_day))
            .await
    }

    /// Replace the clock: for tests and simulations of time-based behaviour (retries,
    /// pacing). Unix seconds.
    pub fn set_clock(&mut self, clock: Arc<dyn Fn() -> i64 + Send + Sync>) {
        self.clock = clock;
    }

    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Resume after a restart: settle interrupted attempts, check uncertain ones where
    /// the server can tell, then send what is due.
    pub async fn resume_outbox(&self) -> Result<Vec<SendReport>> {
        for account in self.accounts().await? {
            drop(self.recover(&account).await?); // also those waiting for a sign-in
        }
        for account in self.signed_in_accounts().await? {
            let secret = self.secrets.secret(&account).await?;
            crate::smtp::deliver::settle_uncertain(&self.store, &account, &secret).await?;
            self.deliver_due(&account).await?;
        }
        self.store.outbox(None)
    }

    /// The user's call on a failed or uncertain message: send it again to everyone who
    /// has not accepted it.
    pub async fn resend(&self, key: &str) -> Result<SendReport> {
        let id = self.store.outbox_id(key)?;
        self.store.requeue(id)?;
        let report = self.store.outbox_report(id)?;
        let account_id = self.blocking(move |s| s.outbox_account(id)).await?;
        let account = self.blocking(move |s| s.account(account_id)).await?;
        self.deliver_due(&account).await?;
        self.store.outbox_report(report.outbox_id)
    }

    /// An outbox message as an editable draft: a refused message is never lost.
    pub async fn outbox_draft(&self, key: &str) -> Result<Draft> {
        let id = self.store.outbox_id(key)?;
        let (mime, envelope) = self.store.outbox_message(id)?;
        crate::mime::reopen::reopen(&mime, &envelope)
    }

    /// Withdraw a message that has not gone out: undo a queued send, or drop a failed or
    /// uncertain one (after `outbox_draft` to edit it into a new message).
    pub async fn discard(&self, key: &str) -> Result<()> {
        let id = self.store.outbox_id(key)?;
        self.store.discard(id)
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

    /// The user's call on an uncertain message: it did go out (they checked).
    pub async fn mark_sent(&self, key: &str) -> Result<SendReport> {
        let id = self.store.outbox_id(key)?;
        self.store
            .settle_as_sent(id, false, "marked as sent by the user")?;
        self.store.outbox_report(id)
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
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T>
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
