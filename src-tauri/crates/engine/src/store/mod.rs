//! The local SQLite cache: accounts, folders, messages, bodies, the outbox and the FTS index.
//!
//! One connection behind a mutex. Statements are short; long work (network) never holds it.
//! WAL mode so the desktop app can read while the CLI or a sync writes.

pub mod accounts;
pub mod bulk;
#[cfg(test)]
mod bulk_tests;
pub mod changes;
pub mod contacts;
mod conversations;
pub mod delivery;
pub mod drafts;
pub mod folder_edit;
pub mod folder_names;
pub mod folders;
pub mod index;
pub mod listing;
pub mod messages;
mod migrations;
pub mod outbox;
pub mod pacing;
pub mod page_cache;
pub mod pop3;
mod raw_head;
pub mod remote_content;
pub mod search;
mod settings;
#[cfg(test)]
mod test_store;
#[cfg(test)]
mod tests;
mod threads;
mod trust;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use rusqlite::Connection;

use crate::clock::Clock;
use crate::error::{Context, Error, ErrorKind, Result};

pub use migrations::LATEST as SCHEMA_VERSION;

/// The file name of the cache inside the data directory.
pub const DB_FILE: &str = "courriel.sqlite3";

pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Whose time the timestamps are: the engine's (`Engine::set_clock`).
    clock: RwLock<Clock>,
    /// Bulk writes in progress (`page_cache`).
    bulk_writers: Mutex<usize>,
}

impl Store {
    /// Open (creating if needed) the cache in `data_dir` and migrate it.
    /// The directory is this user's only (0700) and every file in it 0600: an older
    /// install's modes are tightened here. SQLite gives its -wal and -shm files the
    /// database file's modes, so the database is created 0600 before SQLite opens it.
    pub fn open(data_dir: &Path) -> Result<Store> {
        crate::private::dir_for_data(data_dir)
            .with_context(|| format!("preparing the data directory {}", data_dir.display()))?;
        let path = data_dir.join(DB_FILE);
        crate::private::touch(&path)?;
        let mut conn = Connection::open(&path)
            .with_context(|| format!("opening the cache {}", path.display()))?;
        configure(&conn).context("configuring SQLite")?;
        migrations::run(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            clock: RwLock::new(crate::clock::system()),
            bulk_writers: Mutex::new(0),
        })
    }

    /// Use `clock` for every timestamp written from now on (tests, simulations).
    pub fn set_clock(&self, clock: Clock) {
        *self.clock.write().unwrap_or_else(|p| p.into_inner()) = clock;
    }

    /// Now, by the engine's clock.
    pub(crate) fn now(&self) -> i64 {
        (self.clock.read().unwrap_or_else(|p| p.into_inner()))()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The data directory the cache lives in (where the send locks live too).
    pub fn data_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The connection. A poisoned lock means a panic mid-statement; SQLite rolled the
    /// statement back, so the connection itself is still sound.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The write-ahead log's pages between two checkpoints (`configure`).
const WAL_PAGES: i64 = 16_384;

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A ceiling, not an allocation; larger while a sync writes (`page_cache`).
    conn.pragma_update(None, "cache_size", page_cache::standing())?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Copy the log into the database every 64 MiB written, not every 4 MiB (SQLite's
    // default): a first sync writes about 9 KB per message, and each copy syncs the log
    // and the database to disk. Measured on 100,000 messages (bench_cache): caching 7.9 s
    // with the default, 6.6 s with this. The log's file is cut back to that size after.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", WAL_PAGES * 4096)?;
    Ok(())
}

/// Where the cache lives: `--data-dir`, else `$COURRIEL_DATA_DIR`, else the OS data
/// directory (`$XDG_DATA_HOME/courriel` on Linux; each OS's in [`crate::dirs`]).
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    crate::dirs::AppDirs::current()
        .map(|d| d.data)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                format!("no home directory found; set {DATA_DIR_ENV}"),
            )
        })
}

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "COURRIEL_DATA_DIR";
