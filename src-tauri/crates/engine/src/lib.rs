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
//! - [`contacts`]: address completion: contacts learned from mail, ranked, found by
//!   any word whatever its accents.
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
//!   directories only their owner can read; [`unsubscribe`]: leaving a mailing list
//!   (RFC 8058 one click, a mail through the outbox, or the list's page); [`inert`]: mail text made harmless for a
//!   notification or a terminal; [`dirs`]: where Courriel keeps its files on each OS.

// The callers' surface: the facade and its types (`api`), its errors, the settings, and
// the services a caller picks or shares (secret stores and OAuth2 in `auth`, the clock,
// the language, logging, `mailto:` parsing, inert text, the scheduler), plus the few
// items re-exported below. The CLI and the app use nothing else (`scripts/check-imports`
// fails when they reach past it).
pub mod api;
pub mod auth;
pub mod clock;
pub mod error;
pub mod inert;
pub mod lang;
pub mod logging;
pub mod mailto;
pub mod scheduler;
pub mod settings;

// The engine's own modules. `pub` only for the real-server test crate (`tests/`), which
// drives protocols and the store directly; hidden from the docs, and not for callers.
#[doc(hidden)]
pub mod attachments;
#[doc(hidden)]
pub mod autoconfig;
#[doc(hidden)]
pub mod contacts;
#[doc(hidden)]
pub mod decode;
#[doc(hidden)]
pub mod delivery;
#[doc(hidden)]
pub mod dirs;
#[doc(hidden)]
pub mod dns;
#[doc(hidden)]
pub mod drafts;
#[doc(hidden)]
pub mod engine;
#[doc(hidden)]
pub mod fault;
#[doc(hidden)]
pub mod filename;
#[doc(hidden)]
pub mod html;
#[doc(hidden)]
pub mod imap;
#[doc(hidden)]
pub mod ingest;
#[doc(hidden)]
pub mod mailbox;
#[doc(hidden)]
pub mod mime;
#[doc(hidden)]
pub mod net;
#[doc(hidden)]
pub mod outbox;
#[doc(hidden)]
pub mod pop3;
#[doc(hidden)]
pub mod private;
#[doc(hidden)]
pub mod query;
#[doc(hidden)]
pub mod reader;
#[doc(hidden)]
pub mod signin;
#[doc(hidden)]
pub mod smtp;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod store;
#[doc(hidden)]
pub mod tls;
#[doc(hidden)]
pub mod trust;
#[doc(hidden)]
pub mod unsubscribe;

pub use attachments::Scratch;
pub use autoconfig::{AuthKind, Discovery, Found};
pub use engine::Engine;
pub use error::{CommandError, Error, ErrorKind, Result};
pub use reader::link_domain;
pub use signin::new_account_from;
pub use store::outbox::Attempt;
pub use store::pop3::Retention;
pub use store::{resolve_data_dir, DATA_DIR_ENV};
pub use trust::TrustOptions;

#[cfg(test)]
mod bindings;
