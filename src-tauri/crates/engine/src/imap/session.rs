//! A logged-in IMAP session, and what it must remember about itself beyond what
//! async-imap keeps: whether QRESYNC is on (RFC 5161 allows ENABLE only before a folder
//! is selected, so it is sent once, before the first SELECT: `select::enable_qresync`),
//! and how it ends: LOGOUT (RFC 3501 §6.1.3), so the server frees the session at once
//! instead of keeping it until its idle timer fires, bounded in time so a dead server
//! cannot hold up whoever is closing it.
//!
//! Everything else is async-imap's `Session`, reached through `Deref`.

use std::ops::{Deref, DerefMut};
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
}

impl ImapSession {
    pub(super) fn new(inner: Session<Link>) -> ImapSession {
        ImapSession {
            inner,
            qresync_enabled: false,
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
