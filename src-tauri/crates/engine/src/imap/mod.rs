//! IMAP: connecting (TLS policy, login) and syncing folders into the cache.

mod connect;
mod sync;

pub use connect::{connect, ImapSession};
pub use sync::sync_inbox;
