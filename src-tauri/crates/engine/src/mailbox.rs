//! The Engine's reading side: sync (IMAP or POP3), push (IDLE), search, folders, threads,
//! opening a message (its body fetched on demand), and changing messages (flags, move,
//! delete, archive: applied locally at once, queued for the server, replayed in order).

use std::time::Duration;

use crate::api::{
    Account, MessageAction, MessageDetail, MessageSummary, Protocol, SyncProgress, SyncReport,
};
use crate::auth::secrets::Secret;
use crate::engine::Engine;
use crate::error::{Context, ErrorKind, Result};
use crate::imap::sync::{Left, SyncCtx};
use crate::imap::{self, raw, ImapSession};

mod bulk;
mod conversations;
mod folders;
mod watch;
pub use watch::WatchOptions;

/// What runs over the account's kept session (`Engine::with_session`).
pub(crate) enum Remote {
    /// Send the queued changes; how many the server took.
    Replay,
    /// Fetch and cache the body of this message.
    FetchBody(i64),
    /// Copy drafts to the Drafts folder and delete those that left (`imap::drafts`).
    Drafts,
}

impl Engine {
    /// Sync the account: every folder over IMAP (queued local changes first), INBOX over POP3.
    pub async fn sync(&self, email: &str) -> Result<SyncReport> {
        self.sync_with_progress(email, &|_| {}).await
    }

    /// `sync`, reporting each batch (folder, done, total) as it lands. The mail is cached
    /// first, then indexed for search (`index_for_search`), even after a sync cut short:
    /// what it cached is searchable.
    pub async fn sync_with_progress(
        &self,
        email: &str,
        progress: &(dyn Fn(&SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let synced = self.sync_mail(email, progress).await;
        let indexed = self.index_for_search().await;
        let report = synced?;
        indexed?;
        Ok(report)
    }

    /// `sync_with_progress` without the indexing: when this returns the mail is cached and
    /// readable, and search finds it once `index_for_search` has run. For callers that
    /// schedule or time the two apart.
    pub async fn sync_mail(
        &self,
        email: &str,
        progress: &(dyn Fn(&SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let account = self.account(email).await?;
        let since = self.sign_in_count();
        let result = self.sync_account(&account, progress).await;
        self.note_sign_in(&account, since, &result);
        if result.is_ok() {
            self.read_reports_quietly(&account).await; // bounces among what came
            self.learn_contacts_quietly(&account).await; // who wrote, for completion
        }
        result
    }

    /// Index for search what syncs cached and did not index yet, newest first, a large
    /// batch per transaction. Returns how many messages were indexed.
    pub async fn index_for_search(&self) -> Result<u32> {
        /// Large: each transaction writes an index segment that later ones merge.
        const BATCH: u32 = 5_000;
        let mut total = 0;
        loop {
            let indexed = self.blocking(|s| s.index_pending(BATCH)).await?;
            if indexed == 0 {
                if total > BATCH {
                    self.blocking(|s| s.checkpoint()).await?;
                }
                return Ok(total);
            }
            total += indexed;
        }
    }

    async fn sync_account(
        &self,
        account: &Account,
        progress: &(dyn Fn(&SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        let account = account.clone();
        if account.protocol == Protocol::Pop3 {
            let secret = self.secrets.secret(&account).await?;
            return crate::pop3::sync::sync(&self.store, &account, &secret, self.now())
                .await
                .with_context(|| format!("syncing {}", account.email));
        }
        // The kept session when it is ready for a sync (`imap::pool`); if it fails on the
        // network (it can die between its check and its use) a new one does the sync:
        // a sync resumes where another stopped.
        if let Some((mut session, caps)) = self.sessions.take(account.id, true).await {
            let ctx = self.sync_ctx(&account, &caps, progress);
            match imap::sync::sync_account(&ctx, &mut session, true).await {
                Err(e) if e.kind == ErrorKind::Network => {
                    tracing::info!(
                        "the kept session to {} failed ({e}): a new one",
                        account.email
                    );
                }
                done => return self.park_after_sync(&account, session, caps, done).await,
            }
        }
        self.sync_resuming(&account, progress).await
    }

    /// Sync over new sessions until the sync completes: a link that drops mid-sync (a
    /// train, a weak Wi-Fi) is reconnected after a pause that doubles, and the sync
    /// resumes from what the cut ones cached. It gives up after `FRUITLESS` cuts in a row
    /// that cached nothing new, and at once when the very first connection fails (the
    /// server is unreachable: the caller's own schedule retries).
    async fn sync_resuming(
        &self,
        account: &Account,
        progress: &(dyn Fn(&SyncProgress) + Send + Sync),
    ) -> Result<SyncReport> {
        const FRUITLESS: u32 = 5;
        let (mut pause, mut fruitless, mut reached) = (Duration::from_millis(250), 0, false);
        loop {
            let before = self.store.count_account_messages(account.id)?;
            let attempt = self.sync_once(account, progress, &mut reached).await;
            let e = match attempt {
                Err(e) if e.kind == ErrorKind::Network && reached => e,
                done => return done,
            };
            if self.store.count_account_messages(account.id)? > before {
                (fruitless, pause) = (0, Duration::from_millis(250));
            } else {
                fruitless += 1;
            }
            if fruitless >= FRUITLESS {
                return Err(e);
            }
            tracing::info!(
                "{}: the link dropped during the sync ({e}); resuming in {} ms",
                account.email,
                pause.as_millis()
            );
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(30));
        }
    }

    /// One sync over a new session; `reached` turns true once a session is open.
    async fn sync_once(
        &self,
        account: &Account,
        progress: &(dyn Fn(&SyncProgress) + Send + Sync),
        reached: &mut bool,
    ) -> Result<SyncReport> {
        let (mut session, caps) = self.open_imap(account).await?;
        *reached = true;
        let ctx = self.sync_ctx(account, &caps, progress);
        let done = imap::sync::sync_account(&ctx, &mut session, false).await;
        self.park_after_sync(account, session, caps, done).await
    }

    /// Keep the sync's session for the next operation: ready for the next sync when the
    /// home folder is selected, which is worth a last EXAMINE after a sync that opened
    /// other folders anyway (see `imap::pool`).
    async fn park_after_sync(
        &self,
        account: &Account,
        mut session: ImapSession,
        caps: raw::Caps,
        synced: Result<imap::sync::Synced>,
    ) -> Result<SyncReport> {
        let parked = async {
            let synced = synced?;
            if let Left::Other { home } = &synced.left {
                imap::sync::examine(&mut session, &caps, home).await?;
            }
            Ok(synced)
        }
        .await;
        let ready = parked.as_ref().is_ok_and(|s| s.left != Left::Unready);
        self.keep(account.id, session, caps, ready, parked.map(|s| s.report))
            .with_context(|| format!("syncing {}", account.email))
    }

    /// Keep a session whose work went well for the account's next operation
    /// (`imap::pool`); log out of one whose work failed: it is never reused.
    fn keep<T>(
        &self,
        account_id: i64,
        session: ImapSession,
        caps: raw::Caps,
        ready_to_sync: bool,
        done: Result<T>,
    ) -> Result<T> {
        match done {
            Ok(value) => {
                self.sessions.put(account_id, session, caps, ready_to_sync);
                Ok(value)
            }
            Err(e) => {
                session.log_out_later();
                Err(e)
            }
        }
    }

    fn sync_ctx<'a>(
        &'a self,
        account: &'a Account,
        caps: &'a raw::Caps,
        progress: &'a (dyn Fn(&SyncProgress) + Send + Sync),
    ) -> SyncCtx<'a> {
        SyncCtx {
            store: &self.store,
            account,
            caps,
            now: self.now(),
            progress,
        }
    }

    /// A new session: connect, log in, and learn what the server offers.
    async fn open_imap(&self, account: &Account) -> Result<(ImapSession, raw::Caps)> {
        let secret = self.secrets.secret(account).await?;
        let mut session = match imap::connect(account, &secret).await {
            // A refused token may just have expired: one refresh, one more try.
            Err(e) if e.kind == ErrorKind::Auth && matches!(secret, Secret::OAuth2Token(_)) => {
                match self.secrets.refresh(account).await? {
                    Some(fresh) => imap::connect(account, &fresh).await?,
                    None => return Err(e),
                }
            }
            other => other?,
        };
        let caps = match raw::negotiate(&mut session).await {
            Ok(caps) => caps,
            Err(e) => {
                session.log_out_later();
                return Err(e)
                    .with_context(|| format!("starting a session on {}", account.incoming.host));
            }
        };
        if caps.compress && !imap::on_loopback(&session) {
            session = imap::compress(session).await?;
        }
        session.log = Some(self.commands.clone());
        Ok((session, caps))
    }

    /// Messages matching `query` across every account, newest first: words and the
    /// operators of `crate::query` (`is:unread`, `in:sent`, `after:yesterday`...).
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<MessageSummary>> {
        let query = crate::query::parse(query, self.now());
        self.blocking(move |s| s.search_query(&query, limit)).await
    }

    /// A folder's messages, newest first. The folder as people name it: the server's
    /// name, the name shown, or a role (`store::folders::resolve_folder`).
    pub async fn folder_messages(
        &self,
        email: &str,
        folder: &str,
        limit: u32,
    ) -> Result<Vec<MessageSummary>> {
        let account = self.account(email).await?;
        let folder = folder.to_owned();
        self.blocking(move |s| s.folder_messages(s.find_folder(account.id, &folder)?.id, limit))
            .await
    }

    /// A folder's message ids (named as for `folder_messages`), newest first: the list the app
    /// scrolls, its rows read by `summaries` as they come into view.
    pub async fn folder_ids(&self, email: &str, folder: &str) -> Result<Vec<i64>> {
        let account = self.account(email).await?;
        let folder = folder.to_owned();
        self.blocking(move |s| s.folder_ids(s.find_folder(account.id, &folder)?.id))
            .await
    }

    /// The unified inbox's message ids, newest first.
    pub async fn inbox_ids(&self) -> Result<Vec<i64>> {
        self.blocking(|s| s.inbox_ids()).await
    }

    /// The summaries of these messages, in this order; those no longer cached left out.
    pub async fn summaries(&self, ids: Vec<i64>) -> Result<Vec<MessageSummary>> {
        self.blocking(move |s| s.summaries(&ids)).await
    }

    /// The conversation: every cached message of the thread, oldest first.
    pub async fn thread(&self, thread_id: i64) -> Result<Vec<MessageSummary>> {
        self.blocking(move |s| s.thread(thread_id)).await
    }

    /// Open a message; a body not cached yet (outside the sync window) is fetched first.
    pub async fn show(&self, id: i64) -> Result<MessageDetail> {
        self.with_body(id).await?;
        let mut detail = self.blocking(move |s| s.message(id)).await?;
        detail.delivery = self.delivery_report(id).await?;
        Ok(detail)
    }

    /// Make sure message `id`'s body is cached: fetched first when outside the sync window.
    pub(crate) async fn with_body(&self, id: i64) -> Result<()> {
        if !self.store.has_body(id)? {
            let summary = self.store.summary(id)?;
            let account = self.account(&summary.account_email).await?;
            self.with_session(&account, Remote::FetchBody(id))
                .await
                .with_context(|| format!("fetching message {id}"))?;
        }
        Ok(())
    }

    /// Change a message: at once in the cache, then on the server. Offline, the change
    /// stays queued and the next sync sends it; that is not an error.
    pub async fn act(&self, id: i64, action: MessageAction) -> Result<u32> {
        let now = self.now();
        let account_id = self
            .blocking(move |s| s.apply_local(id, &action, now))
            .await?;
        let account = self.blocking(move |s| s.account(account_id)).await?;
        match self.replay(&account).await {
            Ok(n) => Ok(n),
            Err(e) if matches!(e.kind, ErrorKind::Network) => {
                tracing::info!("change queued until {} is reachable: {e}", account.email);
                Ok(0)
            }
            Err(e) => Err(e),
        }
    }

    /// Send the account's queued changes now; returns how many the server took.
    pub async fn replay(&self, account: &Account) -> Result<u32> {
        if account.protocol == Protocol::Pop3 {
            return Ok(0); // POP3 has no flags or folders on the server
        }
        self.with_session(account, Remote::Replay).await
    }

    /// Run `what` over the account's kept session (`imap::pool`), or a new one when there
    /// is none or the kept one fails on the network (it can die between its check and its
    /// use; every `Remote` is safe to run again: a replay is guarded, a body fetch reads,
    /// a drafts round deletes the extra copy a rerun appends), then keep the session.
    /// Operations on one account take turns (`imap::pool`): the next one waits for the
    /// kept session instead of logging in beside it.
    pub(crate) async fn with_session(&self, account: &Account, what: Remote) -> Result<u32> {
        let _turn = self.sessions.turn(account.id).await;
        if let Remote::FetchBody(id) = what {
            if self.store.has_body(id)? {
                return Ok(0); // fetched by the operation this one waited for
            }
        }
        if let Some((mut session, caps)) = self.sessions.take(account.id, false).await {
            match self.remote(account, &what, &mut session, &caps).await {
                Err(e) if e.kind == ErrorKind::Network => {
                    tracing::info!(
                        "the kept session to {} failed ({e}): a new one",
                        account.email
                    );
                }
                // It opened other folders: not ready for a sync (see `imap::pool`).
                done => return self.keep(account.id, session, caps, false, done),
            }
        }
        let (mut session, caps) = self.open_imap(account).await?;
        let done = self.remote(account, &what, &mut session, &caps).await;
        self.keep(account.id, session, caps, false, done)
    }

    async fn remote(
        &self,
        account: &Account,
        what: &Remote,
        session: &mut ImapSession,
        caps: &raw::Caps,
    ) -> Result<u32> {
        match what {
            Remote::Replay => imap::changes::replay(&self.store, account, session, caps).await,
            Remote::Drafts => imap::drafts::sync(&self.store, account, session, caps).await,
            Remote::FetchBody(id) => {
                imap::sync::fetch_body(&self.store, session, caps, *id).await?;
                Ok(0)
            }
        }
    }

    /// Fetch every body (None) or only the last `days` days' (the rest on demand).
    pub async fn set_body_window(&self, email: &str, days: Option<u32>) -> Result<()> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.set_body_window(account.id, days))
            .await
    }
}
