//! Logged-in IMAP sessions kept open between operations, one per account, as desktop
//! clients keep their connections: a flag change, a move or a body fetched on demand
//! then costs a round trip instead of a TCP connect, a TLS handshake and a login (tens of
//! milliseconds on a LAN, hundreds over a phone link).
//!
//! A sync starts with the folders' STATUS, and Dovecot answers a STATUS on a big folder
//! by opening it in full once the session has listed or opened other folders (100 ms for
//! a 100,000-message INBOX, against half a millisecond on a new session or with that
//! folder selected). So a sync ends with its home folder (INBOX, or Gmail's All Mail)
//! selected when it opened any folder, and parks its session as ready for the next sync;
//! a sync takes only such a session, and connects anew otherwise.
//!
//! A parked session is checked with NOOP before it is used again, and dropped after
//! [`MAX_IDLE`]: servers log idle sessions out after 30 minutes (RFC 3501 §5.4) and NAT
//! boxes forget quiet connections sooner. A session whose operation failed is never
//! parked. Removing an account or changing its password drops its session.
//!
//! A session the pool lets go (too old, not ready for a sync, replaced, forgotten, or the
//! pool itself dropped) is logged out, in time bounded by `session::LOGOUT_WAIT`; one that
//! failed its NOOP is just dropped: it is gone or stuck.
//!
//! Operations on one account outside a sync take turns ([`Pool::turn`]): while one holds
//! the kept session the others wait for it rather than each finding the pool empty and
//! logging in anew. A reader page with hundreds of parts fetched on demand at once, or
//! many messages opened quickly, costs one session, not one login each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::connect::ImapSession;
use super::raw::{self, Caps};
use super::session::LOGOUT_WAIT;
use crate::error::ErrorKind;

/// How long a session may wait unused.
pub const MAX_IDLE: Duration = Duration::from_secs(120);
/// How long the NOOP check may take before the session counts as gone.
const CHECK: Duration = Duration::from_secs(3);

struct Parked {
    session: ImapSession,
    caps: Caps,
    since: Instant,
    /// The home folder is selected: a sync's STATUS stays fast on it.
    ready_to_sync: bool,
}

#[derive(Default)]
pub struct Pool {
    parked: Mutex<HashMap<i64, Parked>>,
    /// One turn at a time per account (module doc).
    turns: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl Pool {
    /// The account's parked session, if it is still there and answers NOOP; `to_sync`:
    /// only one ready for a sync.
    pub async fn take(&self, account_id: i64, to_sync: bool) -> Option<(ImapSession, Caps)> {
        let parked = self.lock().remove(&account_id)?;
        if parked.since.elapsed() > MAX_IDLE || (to_sync && !parked.ready_to_sync) {
            parked.session.log_out_later();
            return None;
        }
        let mut session = parked.session;
        let noop = raw::run_ok(&mut session, "NOOP", ErrorKind::Protocol);
        match tokio::time::timeout(CHECK, noop).await {
            Ok(Ok(_)) => Some((session, parked.caps)),
            _ => None,
        }
    }

    /// Keep a session that just did its work well, for the account's next operation.
    pub fn put(&self, account_id: i64, session: ImapSession, caps: Caps, ready_to_sync: bool) {
        let parked = Parked {
            session,
            caps,
            since: Instant::now(),
            ready_to_sync,
        };
        // Two operations on one account at once each opened a session: keep the newer.
        if let Some(older) = self.lock().insert(account_id, parked) {
            older.session.log_out_later();
        }
    }

    /// Wait for the account's turn: held while an operation uses (or opens) its session.
    pub async fn turn(&self, account_id: i64) -> tokio::sync::OwnedMutexGuard<()> {
        let gate = self
            .turns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(account_id)
            .or_default()
            .clone();
        gate.lock_owned().await
    }

    /// Log out of the account's session (its credentials changed, or it is gone).
    pub fn forget(&self, account_id: i64) {
        if let Some(parked) = self.lock().remove(&account_id) {
            parked.session.log_out_later();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Parked>> {
        self.parked.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Pool {
    /// The engine is closing (the CLI's command is done, the app quits): log every kept
    /// session out, all at once. A task spawned and left would not run: the runtime is
    /// usually shut down right after. So this waits for it, at most `LOGOUT_WAIT`, where a
    /// multi-threaded runtime lets a thread block; on a current-thread runtime the task
    /// runs if the runtime goes on; without a runtime the connections just close.
    fn drop(&mut self) {
        let parked: Vec<Parked> = self.lock().drain().map(|(_, p)| p).collect();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if parked.is_empty() {
            return;
        }
        let (done, finished) = std::sync::mpsc::channel();
        let all = futures::future::join_all(parked.into_iter().map(|p| p.session.log_out()));
        runtime.spawn(async move {
            all.await;
            let _ = done.send(());
        });
        if runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
            // The channel, not a tokio timer: timers panic in a runtime shutting down.
            tokio::task::block_in_place(|| finished.recv_timeout(LOGOUT_WAIT).ok());
        }
    }
}
