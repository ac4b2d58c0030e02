//! Draining the outbox: one sender per account (`send_lock`), what a dead sender left
//! settled first, then every due message over one SMTP session within the sending limits
//! (`pacing`), and the Sent copies filed after (`sent_copy`).

use crate::api::{Account, SendReport};
use crate::engine::Engine;
use crate::error::{Context, Result};

impl Engine {
    /// Send every message of the account that is due, oldest first, then file the Sent
    /// copies. Stops at the first connection-level failure (the server is down or refuses
    /// us): the rest would fail the same way, and all of it is retried later.
    ///
    /// Holds the account's send lock throughout (`outbox::send_lock`): another process or
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
    async fn recover(&self, account: &Account) -> Result<super::send_lock::SendLock> {
        use super::send_lock::SendLock;
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
                    .context("waiting for the send lock")??
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
        use super::deliver;
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
                    .slow_down(account.id, budget.now + super::pacing::SLOW_DOWN_SECS)?;
            }
        }
        if let Some(session) = session {
            session.close().await;
        }
        // A failed copy does not make the send fail: the message went out. It is noted
        // on the message and tried again on the next run.
        let secret = self.secrets.secret(account).await?;
        if let Err(e) = super::sent_copy::file_sent_copies(&self.store, account, &secret).await {
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

    /// What the account's sending limits allow right now.
    fn budget(&self, account: &Account) -> Result<super::deliver::Budget> {
        use super::pacing;
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
        Ok(super::deliver::Budget {
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

    /// Resume after a restart: settle interrupted attempts, check uncertain ones where
    /// the server can tell, then send what is due.
    pub async fn resume_outbox(&self) -> Result<Vec<SendReport>> {
        for account in self.accounts().await? {
            drop(self.recover(&account).await?); // also those waiting for a sign-in
        }
        for account in self.signed_in_accounts().await? {
            let secret = self.secrets.secret(&account).await?;
            super::sent_copy::settle_uncertain(&self.store, &account, &secret).await?;
            self.deliver_due(&account).await?;
        }
        self.store.outbox(None)
    }
}
