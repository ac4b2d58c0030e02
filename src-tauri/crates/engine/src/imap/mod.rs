//! IMAP: connecting (TLS policy, login, capabilities), the folder list, syncing folders
//! into the cache, replaying local changes, IDLE, and the Sent folder.

mod authenticate;
pub mod batch;
pub mod changes;
mod connect;
pub mod drafts;
mod error_words;
pub mod fetch;
pub mod folders;
mod frame;
pub mod guard;
pub mod idle;
mod large;
pub mod link;
pub mod manage;
pub mod pool;
pub mod raw;
pub mod select;
pub mod sent;
mod session;
pub mod sync;
mod sync_writer;
pub mod uidmap;
mod vanished;

pub use connect::{compress, connect, connect_with, on_loopback, ImapSession};
pub use session::CommandLog;
