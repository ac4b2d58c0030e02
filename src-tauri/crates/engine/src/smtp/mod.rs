//! SMTP submission.
//!
//! - `submit`: one conversation, with per-recipient results (MAIL, RCPT each, DATA sent by
//!   hand so that a 550 for one recipient does not abort the others).
//! - The outbox (`Engine::send`) writes the message to the `outbox` table before calling it.

pub mod replies;
pub mod retry;
mod submit;

pub(crate) use submit::domain_of;
pub use submit::{submit, Submission};
