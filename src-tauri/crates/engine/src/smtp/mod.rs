//! SMTP submission.
//!
//! - `submit`: connect (TLS policy), AUTH, one MAIL/RCPT/DATA transaction.
//! - `session`: an authenticated connection that carries many messages.
//! - `outbox`: what an attempt's replies mean for each recipient and for the message.
//! - `retry`: the backoff schedule for temporary refusals.
//! - `replies`: reply codes in plain words (English, French).
//! - `trace`: the readable record of each conversation.
//! - `send_lock`: one sender per account at a time, across processes (why a lock).
//!
//! The queue itself is the `outbox` table (`store::outbox`); `Engine::send` writes to it
//! before any network I/O and `Engine::deliver_due` drains it.

pub mod auth;
pub mod deliver;
pub mod outbox;
pub mod pacing;
pub mod replies;
pub mod retry;
pub mod send_lock;
pub mod session;
mod submit;
pub mod trace;
mod transport;

pub(crate) use submit::check_size;
pub(crate) use submit::domain_of;
pub use submit::{login, megabytes, too_large, Connected, DataOutcome, Reply, Submission};
