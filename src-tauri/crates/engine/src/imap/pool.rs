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

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::connect::ImapSession;
use super::raw::{self, Caps};
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
}

impl Pool {
    /// The account's parked session, if it is still there and answers NOOP; `to_sync`:
    /// only one ready for a sync.
    pub async fn take(&self, account_id: i64, to_sync: bool) -> Option<(ImapSession, Caps)> {
        let parked = self.lock().remove(&account_id)?;
        if parked.since.elapsed() > MAX_IDLE || (to_sync && !parked.ready_to_sync) {
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
        self.lock().insert(account_id, parked);
    }

    /// Drop the account's session (its credentials changed, or it is gone).
    pub fn forget(&self, account_id: i64) {
        self.lock().remove(&account_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Parked>> {
        self.parked.lock().unwrap_or_else(|e| e.into_inner())
    }
}
