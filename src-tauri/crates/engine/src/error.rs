//! Errors with a kind the UI and the CLI can branch on.
//!
//! Every fallible step adds context ("connecting to imap.example.org:993"), and every error
//! carries an [`ErrorKind`]. The message is for people; the kind is for code. Nobody matches
//! on the message text.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, in terms a user interface can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The server refused the credentials.
    Auth,
    /// TLS could not be set up or the certificate did not verify.
    Tls,
    /// The network failed: refused, unreachable, dropped, timed out.
    Network,
    /// The server said something we did not expect.
    Protocol,
    /// The server rejected the request (an SMTP 5xx, an IMAP NO).
    Rejected,
    /// The message is larger than the account's server accepts (its EHLO `SIZE`): nothing
    /// was uploaded; attachments must shrink.
    TooLarge,
    /// The thing asked for does not exist (account, message, folder).
    NotFound,
    /// The local store failed (SQLite, disk full, permissions).
    Storage,
    /// The account or the request is set up wrongly.
    Config,
    /// The OS keychain could not be reached or refused.
    Keychain,
    /// The saved sign-in no longer works (revoked or expired refresh token, changed
    /// password): the user must sign in again; retrying will not help.
    NeedsSignIn,
    /// A bug in Courriel.
    Bug,
}

/// An error with its kind and a human-readable chain of context.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// Prefix the message with what we were doing: "syncing INBOX: connection lost".
    pub fn context(mut self, what: impl std::fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

/// `.context("...")` on any result whose error converts into [`Error`].
pub trait Context<T> {
    fn context(self, what: impl std::fmt::Display) -> Result<T>;
    fn with_context<D: std::fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl std::fmt::Display) -> Result<T> {
        self.map_err(|e| e.into().context(what))
    }
    fn with_context<D: std::fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T> {
        self.map_err(|e| e.into().context(what()))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let kind = match &e {
            rusqlite::Error::QueryReturnedNoRows => ErrorKind::NotFound,
            _ => ErrorKind::Storage,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(io_kind(&e), e.to_string())
    }
}

/// Network-looking I/O failures are `Network`; certificate failures surface from rustls
/// wrapped in io::Error and are `Tls`.
pub(crate) fn io_kind(e: &std::io::Error) -> ErrorKind {
    let tls = e
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
    if tls {
        ErrorKind::Tls
    } else {
        ErrorKind::Network
    }
}

/// The payload a UI receives: a kind to branch on and a sentence to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError {
            kind: e.kind,
            message: e.message,
        }
    }
}
