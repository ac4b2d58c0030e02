//! Keeping accounts current: one `Engine::watch` per account (IDLE on INBOX, the other
//! folders polled), each sync told as an `Event::MailChanged`. A watch that needs the
//! user (sign-in) stops and says so in its event; signing in starts it again.

use crate::api::{MailChanged, SyncReport};
use crate::mailbox::WatchOptions;
use crate::CommandError;

use super::{lock, Event, Scheduler};

/// Watch every account that can sign in (at start).
pub(super) async fn all(scheduler: Scheduler) {
    match scheduler.inner.engine.accounts().await {
        Ok(accounts) => {
            for account in accounts.iter().filter(|a| a.needs_signin.is_none()) {
                start(&scheduler, &account.email);
            }
        }
        Err(e) => tracing::warn!("listing the accounts to watch: {e}"),
    }
}

/// Watch `email`, replacing (stopping) a watch already running for it.
pub(super) fn start(scheduler: &Scheduler, email: &str) {
    let inner = &scheduler.inner;
    if *inner.stop.borrow() {
        return;
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    if let Some(old) = lock(&inner.watches).insert(email.to_owned(), stop) {
        old.send_replace(true);
    }
    let inner = inner.clone();
    let email = email.to_owned();
    scheduler.spawn(async move {
        let announce = |result: crate::Result<SyncReport>| {
            let (report, error) = match result {
                Ok(r) => (Some(r), None),
                Err(e) => (None, Some(CommandError::from(e))),
            };
            inner.emit(Event::MailChanged(MailChanged {
                account_email: email.clone(),
                report,
                error,
            }));
        };
        let watching = inner
            .engine
            .watch(&email, WatchOptions::default(), &announce, stopped);
        if let Err(e) = watching.await {
            tracing::info!("stopped watching {email}: {e}");
        }
    });
}
