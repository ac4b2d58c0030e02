//! Push: `Engine::watch` keeps an account current with one session at a time, IDLE on
//! INBOX and every folder polled, reconnecting with backoff; stopped, it leaves IDLE and
//! logs out.

use std::time::Duration;

use crate::api::{Account, SyncProgress, SyncReport};
use crate::engine::Engine;
use crate::error::{ErrorKind, Result};
use crate::imap::idle::Woke;
use crate::imap::sync::SyncCtx;
use crate::imap::{self, raw, ImapSession};

/// How `watch` keeps an account current.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// How often folders other than INBOX are polled; also the longest IDLE (servers may
    /// drop an IDLE after 30 minutes, so this stays under 29).
    pub poll: Duration,
    /// The longest wait between reconnect attempts (it doubles from 1 s up to this).
    pub max_backoff: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            poll: Duration::from_secs(5 * 60),
            max_backoff: Duration::from_secs(5 * 60),
        }
    }
}

/// What one `watch` session works with.
struct Watch<'a> {
    account: &'a Account,
    caps: &'a raw::Caps,
    options: WatchOptions,
    on_sync: &'a (dyn Fn(Result<SyncReport>) + Send + Sync),
}

impl Engine {
    /// Keep the account current until `stop` turns true: IDLE on INBOX (synced as soon as
    /// the server signals a change), every folder polled each `options.poll`, reconnecting
    /// with backoff after a failure. `on_sync` gets every sync's report.
    pub async fn watch(
        &self,
        email: &str,
        options: WatchOptions,
        on_sync: &(dyn Fn(Result<SyncReport>) + Send + Sync),
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> Result<()> {
        let account = self.account(email).await?;
        let mut backoff = Duration::from_secs(1);
        // A dropped sender means stop too.
        while !*stop.borrow() && stop.has_changed().is_ok() {
            let since = self.sign_in_count();
            let run = self.watch_session(&account, options, on_sync, &mut backoff, &mut stop);
            let Err(e) = run.await else { continue };
            let noted = self.note_sign_in(&account, since, &Err::<(), _>(e.clone()));
            if noted
                && matches!(
                    e.kind,
                    ErrorKind::NeedsSignIn | ErrorKind::Auth | ErrorKind::Keychain
                )
            {
                // Retrying cannot help: the user has to act. Say so once and stop.
                on_sync(Err(e.clone()));
                return Err(e);
            }
            on_sync(Err(e));
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = stop.changed() => {}
            }
            backoff = (backoff * 2).min(options.max_backoff);
        }
        Ok(())
    }

    /// One session of `watch`, logged out when `stop` comes or its work fails.
    async fn watch_session(
        &self,
        account: &Account,
        options: WatchOptions,
        on_sync: &(dyn Fn(Result<SyncReport>) + Send + Sync),
        backoff: &mut Duration,
        stop: &mut tokio::sync::watch::Receiver<bool>,
    ) -> Result<()> {
        let (mut session, caps) = tokio::select! {
            opened = self.open_imap(account) => opened?,
            _ = stop.changed() => return Ok(()),
        };
        let watch = Watch {
            account,
            caps: &caps,
            options,
            on_sync,
        };
        let watched = self.keep_current(&watch, &mut session, backoff, stop).await;
        match watched {
            Ok(()) => session.log_out().await,
            Err(_) => session.log_out_later(), // the reconnect does not wait for it
        }
        watched
    }

    /// Sync every folder, then IDLE on INBOX (its changes synced at once) until the poll
    /// interval ends, again and again, until `stop` (Ok) or a failure. A stop during IDLE
    /// ends it with DONE; one during a sync abandons the command under way.
    async fn keep_current(
        &self,
        watch: &Watch<'_>,
        session: &mut ImapSession,
        backoff: &mut Duration,
        stop: &mut tokio::sync::watch::Receiver<bool>,
    ) -> Result<()> {
        let quiet = |_: &SyncProgress| {};
        loop {
            let ctx = SyncCtx {
                store: &self.store,
                account: watch.account,
                caps: watch.caps,
                now: self.now(),
                progress: &quiet,
            };
            let round = async {
                let synced = imap::sync::sync_account(&ctx, session, false).await?;
                self.read_reports_quietly(watch.account).await;
                self.learn_contacts_quietly(watch.account).await;
                (watch.on_sync)(Ok(synced.report));
                *backoff = Duration::from_secs(1);
                // IDLE watches the selected folder: select INBOX (the account sync ended
                // on another).
                imap::sync::sync_folder(&ctx, session, "INBOX", Some("inbox")).await?;
                self.index_for_search().await
            };
            tokio::select! {
                done = round => done?,
                _ = stop.changed() => return Ok(()),
            };
            loop {
                match imap::idle::idle(session, watch.options.poll, stop).await? {
                    Woke::Stopped => return Ok(()),
                    Woke::Timeout => break,
                    Woke::Changed => {}
                }
                tokio::select! {
                    done = self.inbox_changed(&ctx, session, watch.on_sync) => done?,
                    _ = stop.changed() => return Ok(()),
                }
            }
        }
    }

    /// IDLE said INBOX changed: sync it and say so.
    async fn inbox_changed(
        &self,
        ctx: &SyncCtx<'_>,
        session: &mut ImapSession,
        on_sync: &(dyn Fn(Result<SyncReport>) + Send + Sync),
    ) -> Result<()> {
        let new_messages = imap::sync::sync_folder(ctx, session, "INBOX", Some("inbox")).await?;
        self.read_reports_quietly(ctx.account).await;
        self.learn_contacts_quietly(ctx.account).await;
        on_sync(Ok(SyncReport {
            account_email: ctx.account.email.clone(),
            folder: "INBOX".into(),
            new_messages,
            total_cached: self.store.count_account_messages(ctx.account.id)?,
            replayed: 0,
        }));
        self.index_for_search().await?;
        Ok(())
    }

    /// Bounces among what came (`delivery`), before the window is told: a failure to read
    /// them is logged and never ends the watch.
    pub(crate) async fn read_reports_quietly(&self, account: &crate::api::Account) {
        if let Err(e) = self.read_delivery_reports(account).await {
            tracing::warn!("reading {}'s delivery reports: {e}", account.email);
        }
    }
}
