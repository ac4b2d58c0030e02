//! Who may send an account's mail right now: the one process (and, inside it, the one
//! task) holding the account's send lock, an OS file lock on
//! `<data dir>/locks/send-<account id>.lock`.
//!
//! Why a lock and not a lease on each outbox row: the outbox must never deliver a
//! message twice, whatever mix of processes share a data directory (the app, `courriel
//! send` in a terminal, a script's `outbox --run`). A lease needs clocks and renewals,
//! and a process frozen past its lease (a suspended laptop, SIGSTOP, a debugger) wakes up
//! still mid-DATA while another has taken the row over: two copies. The kernel releases a
//! file lock exactly when its holder dies (crash, kill -9, power cut), never before. So:
//!
//! - every move of a row into `sending` happens while holding its account's lock
//!   (`Engine::deliver_due`), and so does recovery (`Store::recover_interrupted`);
//! - therefore a row found in `sending` by a lock holder was left by a process that is
//!   gone: it is recovered (requeued, or `uncertain` once DATA had started); a live
//!   sender's row is never touched, because recovery waits for the lock instead.
//!
//! The lock is held only while messages are being handed to the server, never while a
//! loop waits for a retry time, so another process waits seconds at most (bounded by the
//! SMTP timeouts). One lock per account, so a slow server does not hold up another
//! account's mail. The locks are `flock`-style (open file descriptions), so two tasks of
//! one process also exclude each other. A data directory on a network file system that
//! has no such locks is refused with a clear error rather than sent from unguarded.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// Held while sending an account's mail; released when dropped (or when the process ends,
/// however it ends).
#[derive(Debug)]
pub struct SendLock {
    _file: File,
}

/// The account's lock file inside `data_dir`.
pub fn path(data_dir: &Path, account_id: i64) -> PathBuf {
    data_dir
        .join("locks")
        .join(format!("send-{account_id}.lock"))
}

impl SendLock {
    /// Wait until this process holds the account's send lock. Blocking: call it off the
    /// async threads (`Engine::send_lock`).
    pub fn acquire(data_dir: &Path, account_id: i64) -> Result<SendLock> {
        let file = open(data_dir, account_id)?;
        file.lock().map_err(|e| lock_error(data_dir, &e))?;
        Ok(SendLock { _file: file })
    }

    /// The lock if nobody holds it now; `None` when another sender does.
    pub fn try_acquire(data_dir: &Path, account_id: i64) -> Result<Option<SendLock>> {
        let file = open(data_dir, account_id)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SendLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(lock_error(data_dir, &e)),
        }
    }
}

fn open(data_dir: &Path, account_id: i64) -> Result<File> {
    let path = path(data_dir, account_id);
    let dir = data_dir.join("locks");
    // Inside the data directory, and like everything there, this user's only.
    crate::private::dir(&dir)?;
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path).map_err(|e| {
        Error::new(
            ErrorKind::Storage,
            format!("opening the send lock {}: {e}", path.display()),
        )
    })
}

fn lock_error(data_dir: &Path, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::Storage,
        format!(
            "cannot lock the outbox in {} ({e}); Courriel does not send from a data directory \
             it cannot lock, so that no message goes out twice: move it to a local disk",
            data_dir.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("dir");
        let first = SendLock::acquire(dir.path(), 1).expect("first");
        assert!(
            SendLock::try_acquire(dir.path(), 1).expect("try").is_none(),
            "held by the first"
        );
        assert!(
            SendLock::try_acquire(dir.path(), 2).expect("try").is_some(),
            "another account's lock is free"
        );
        drop(first);
        assert!(SendLock::try_acquire(dir.path(), 1).expect("try").is_some());
    }
}
