//! A logged-in IMAP session, and what it must remember about itself beyond what
//! async-imap keeps: whether QRESYNC is on (RFC 5161 allows ENABLE only before a folder
//! is selected, so it is sent once, before the first SELECT: `select::enable_qresync`),
//! and how it ends: LOGOUT (RFC 3501 §6.1.3), so the server frees the session at once
//! instead of keeping it until its idle timer fires, bounded in time so a dead server
//! cannot hold up whoever is closing it.
//!
//! Everything else is async-imap's `Session`, reached through `Deref`.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_imap::Session;

use super::link::Link;

/// The longest a LOGOUT may wait for the server's answer.
pub const LOGOUT_WAIT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct ImapSession {
    inner: Session<Link>,
    /// ENABLE QRESYNC was sent on this session.
    pub(super) qresync_enabled: bool,
    /// Where the commands sent by `raw::run` are noted, when the engine keeps a log.
    pub(crate) log: Option<Arc<CommandLog>>,
}

/// The last commands an engine's sessions sent (as the debug log shows them: UID sets
/// cut short, never a credential: logins do not go through `raw::run`). It answers
/// "how many round trips did that take", for tests and for diagnosing a slow server.
#[derive(Debug, Default)]
pub struct CommandLog(Mutex<VecDeque<String>>);

impl CommandLog {
    /// Kept: the newest this many.
    const KEEP: usize = 1000;

    pub(crate) fn note(&self, command: &str) {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() == Self::KEEP {
            kept.pop_front();
        }
        kept.push_back(command.to_owned());
    }

    /// The commands noted, oldest first.
    pub fn commands(&self) -> Vec<String> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter().cloned().collect()
    }
}

impl ImapSession {
    pub(super) fn new(inner: Session<Link>) -> ImapSession {
        ImapSession {
            inner,
            qresync_enabled: false,
            log: None,
        }
    }

    /// The async-imap session, for what consumes it (COMPRESS builds a new one).
    pub(super) fn into_inner(self) -> Session<Link> {
        self.inner
    }

    /// Say LOGOUT and wait for the server's answer, at most [`LOGOUT_WAIT`]. Nothing
    /// depends on the answer: a server that is gone or slow is simply left behind.
    /// (async-imap's own `logout` waits as long as the server takes.)
    pub async fn log_out(mut self) {
        let said = tokio::time::timeout(LOGOUT_WAIT, self.inner.logout()).await;
        if let Ok(Err(e)) = said {
            tracing::debug!("LOGOUT: {e}");
        }
    }

    /// `log_out` without waiting for it: on a task of the current runtime. Outside a
    /// runtime the session is just dropped (the connection closes all the same).
    pub fn log_out_later(self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(self.log_out());
        }
    }
}

impl Deref for ImapSession {
    type Target = Session<Link>;

    fn deref(&self) -> &Session<Link> {
        &self.inner
    }
}

impl DerefMut for ImapSession {
    fn deref_mut(&mut self) -> &mut Session<Link> {
        &mut self.inner
    }
}
