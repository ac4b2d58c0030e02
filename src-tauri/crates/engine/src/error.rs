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
    /// The provider's service (often its sign-in service) failed for now: a temporary
    /// authentication failure (SMTP 454, IMAP `NO [UNAVAILABLE]`, POP3 `-ERR [SYS/TEMP]`,
    /// an OAuth token endpoint in trouble). Retried; the credential is not in question.
    Unavailable,
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

/// What Courriel says when a provider's sign-in service fails for now.
pub const SIGN_IN_TROUBLE: &str =
    "the provider's sign-in service is having trouble; Courriel will retry";

/// A temporary sign-in failure, with what the server said.
pub fn sign_in_trouble(said: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Unavailable,
        format!("{SIGN_IN_TROUBLE} (the server said: {said})"),
    )
}

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

/// A task on tokio's blocking threads that panicked or was cancelled: a bug in Courriel.
/// Callers say which task (`.context("a store task failed")`).
impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Self {
        Error::new(ErrorKind::Bug, e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        match unreadable(&e.to_string()) {
            Some(line) => Error::new(
                ErrorKind::Protocol,
                format!("the server sent something Courriel cannot read: {line}"),
            ),
            None => Error::new(io_kind(&e), e.to_string()),
        }
    }
}

/// Longest quote of a server line in an error message.
pub(crate) const QUOTE: usize = 80;

/// The offending line, quoted, when an I/O error is async-imap's "could not parse this"
/// (`<nom error with byte lists> during parsing of "<the buffer>"`).
pub(crate) fn unreadable(text: &str) -> Option<String> {
    let (_, buffer) = text.split_once(" during parsing of \"")?;
    let buffer = unescape(buffer.strip_suffix('"').unwrap_or(buffer));
    let line = buffer.lines().next().unwrap_or_default();
    Some(format!("\"{}\"", quote(line)))
}

/// Undo Rust's debug escaping of a string (enough for reading, not a full parser).
pub(crate) fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"")
        .replace("\\r", "")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

/// At most `QUOTE` characters, control characters dropped.
pub(crate) fn quote(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    match clean.char_indices().nth(QUOTE) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
    }
}

/// What a guarded stream refused (a silent server, an endless line), carried inside an
/// `io::Error` through code that only knows I/O errors (async-imap) and turned back into
/// its kind and words by [`io_kind`] and the error's text.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    pub kind: ErrorKind,
    pub message: String,
}

impl Refused {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Refused {
        Refused {
            kind,
            message: message.into(),
        }
    }
}

/// Network-looking I/O failures are `Network`; certificate failures surface from rustls
/// wrapped in io::Error and are `Tls`; what a guard refused keeps its own kind.
pub(crate) fn io_kind(e: &std::io::Error) -> ErrorKind {
    if let Some(refused) = e.get_ref().and_then(|i| i.downcast_ref::<Refused>()) {
        return refused.kind;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicked_blocking_task_is_a_bug_named_by_its_caller() {
        let joined = tokio::task::spawn_blocking(|| -> Result<()> { panic!("boom") }).await;
        let e = joined
            .context("a store task failed")
            .expect_err("the task panicked");
        assert_eq!(e.kind, ErrorKind::Bug);
        assert!(
            e.message.starts_with("a store task failed: "),
            "{}",
            e.message
        );
        assert!(e.message.contains("panicked"), "{}", e.message);
    }
}
