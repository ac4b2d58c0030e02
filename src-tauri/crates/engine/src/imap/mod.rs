//! IMAP: connecting (TLS policy, login), syncing folders into the cache, and the Sent
//! folder (copies of sent mail, lookups by Message-ID).

mod connect;
pub mod folders;
pub mod sent;
mod sync;

pub use connect::{connect, ImapSession};
pub use sync::sync_inbox;
