//! # courriel-engine
//!
//! All of Courriel's mail logic, with no Tauri dependency: it builds and tests without a
//! webview. The desktop shell (`src-tauri`) and the CLI (`crates/cli`) are thin layers over
//! [`Engine`].
//!
//! ## Map
//! - [`engine`]: the facade, one async method per user action.
//! - [`api`]: the data handed to callers; TypeScript types for the UI are generated from it.
//! - [`error`]: [`Error`] with an [`ErrorKind`] the UI branches on.
//! - [`store`]: the SQLite cache (numbered migrations, STRICT tables, FTS5) and the outbox table.
//! - [`smtp`]: submission (TLS policy, AUTH, per-recipient results).
//! - [`imap`]: connect, log in, sync folders.
//! - [`ingest`]: the one way mail enters the cache.
//! - [`decode`]: dates and percent-decoding, for every module that needs them.
//! - [`mime`]: building outgoing messages.
//! - [`net`]: what every protocol shares: connect, TLS upgrades, SASL, bounded line reads.
//! - [`tls`]: rustls with the OS trust store plus an optional per-account CA.
//! - [`auth`]: where credentials come from (never SQLite, files or logs).
//! - [`clock`]: the one clock, handed to the store and the credentials.
//! - [`lang`]: the user's language, picked once, for every sentence Courriel words.
//! - [`drafts`]: drafts being written, saved every few seconds (nothing lost on a crash).
//! - [`mailto`]: `mailto:` links (RFC 6068) turned into a draft.
//! - [`scheduler`]: the background work (outbox, drafts, watches), hosted by the app and
//!   `courriel watch` alike.
//! - [`reader`]: the page the reader frame shows (CSP, remote content per sender).
//! - [`outbox`]: everything after Send: queue, claim, deliver, retry, pacing, the Sent
//!   copy, the view.
//! - [`autoconfig`]: from an email address to its servers (presets, ISPDB files, SRV, MX).
//! - [`trust`]: who a message is really from (SPF, DKIM, DMARC, look-alikes) and the
//!   user's own domain checked.
//! - [`attachments`]: Open and Save (a private copy, a question before anything that
//!   runs); [`filename`]: an attachment's name made safe; [`private`]: files and
//!   directories only their owner can read; [`inert`]: mail text made harmless for a
//!   notification or a terminal.

pub mod api;
pub mod attachments;
pub mod auth;
pub mod autoconfig;
pub mod clock;
pub mod decode;
pub mod dns;
pub mod drafts;
pub mod engine;
pub mod error;
pub mod fault;
pub mod filename;
pub mod html;
pub mod imap;
pub mod inert;
pub mod ingest;
pub mod lang;
pub mod logging;
pub mod mailbox;
pub mod mailto;
pub mod mime;
pub mod net;
pub mod outbox;
pub mod pop3;
pub mod private;
pub mod reader;
pub mod scheduler;
pub mod settings;
pub mod signin;
pub mod smtp;
pub mod store;
pub mod tls;
pub mod trust;

pub use engine::Engine;
pub use error::{CommandError, Error, ErrorKind, Result};

#[cfg(test)]
mod bindings;
