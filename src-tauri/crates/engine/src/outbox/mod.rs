//! Everything about a message after Send, in one place. The queue itself is the `outbox`
//! table (`store::outbox`): a message is written there, complete, before any network I/O.
//!
//! - `queue`: the user's verbs (send, queue, resend, edit, withdraw, mark as sent, list).
//! - `run`: draining the queue, account by account, under the account's `send_lock`.
//! - `send_lock`: one sender per account at a time, across processes (and why a lock).
//! - `deliver`: one attempt at one message, recorded before and after.
//! - `decide`: what an attempt's replies mean for each recipient and for the message.
//! - `retry`: the backoff schedule for temporary refusals.
//! - `pacing`: sending limits per minute and per day.
//! - `sent_copy`: the Sent copy, and uncertain messages settled from the server.
//! - `view`: the outbox explained for people (plain-words replies, trace timelines).
//!
//! It uses `smtp` to converse and `imap` to file copies, as services; neither knows of it.

pub mod decide;
pub mod deliver;
pub mod pacing;
mod queue;
pub mod retry;
mod run;
pub mod send_lock;
pub mod sent_copy;
pub mod view;
