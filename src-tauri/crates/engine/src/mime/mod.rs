//! MIME: building outgoing messages (lettre's builder) and parsing incoming ones
//! (mail-parser, in `crate::ingest`).
//!
//! - [`build`]: a [`Draft`](crate::api::Draft) becomes the bytes the outbox stores.
//! - `check`: what a header value may hold (one line; message ids).
//! - `address`: recipients and the sending identity.
//! - `attach`: attachments, read once and sent base64, with a small type table.
//! - `golden` (tests): real-world `.eml` files under `tests/fixtures/eml/` parsed by
//!   `crate::ingest` and compared with the expected fields beside each.

mod address;
pub use address::check_identity;
mod attach;
pub mod build;
mod check;
pub mod reopen;

#[cfg(test)]
mod golden;
#[cfg(test)]
pub(crate) mod tests;
