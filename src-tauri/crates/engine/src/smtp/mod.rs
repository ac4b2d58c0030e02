//! SMTP submission.
//!
//! - `submit`: connect (TLS policy), AUTH, one MAIL/RCPT/DATA transaction.
//! - `session`: an authenticated connection that carries many messages.
//! - `replies`: reply codes in plain words (English, French).
//! - `trace`: the readable record of each conversation.
//!
//! What happens to a message after Send (the queue, retries, pacing, the Sent copy) is the
//! `outbox` module's; this one only converses with the server.

pub mod auth;
pub mod bounded;
pub mod dsn;
pub mod replies;
pub mod session;
mod submit;
pub mod trace;
mod transport;

pub(crate) use submit::check_size;
pub(crate) use submit::domain_of;
pub use submit::{login, megabytes, too_large, Connected, DataOutcome, Reply, Submission};
