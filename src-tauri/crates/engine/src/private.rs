//! Files only their owner can read: the cache (the whole mailbox) and the copies of
//! attachments handed to other applications.
//!
//! Directories are created 0700 and files 0600 from the start, never widened after the
//! fact, so there is no instant at which another user could open them. A directory that
//! already exists is used only when it is a real directory (not a symbolic link) owned by
//! this user: another local user who pre-creates `/tmp/courriel/42` as a link into the
//! victim's `~/.config/autostart` must not get a mail's attachment written there. New files
//! are opened with `create_new` (O_CREAT|O_EXCL), which never follows a symbolic link.
//!
//! The permission checks are Unix's; elsewhere (Windows) the per-user profile directories
//! are private already and only the symbolic-link refusal applies.

use std::fs::File;
use std::io;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// Group and others: read, write, execute.
#[cfg(unix)]
const SHARED_BITS: u32 = 0o077;

/// Create `dir` (its parents as usual) readable by this user only, or check the existing
/// one: a real directory, ours, and then made 0700 if it was wider. Refused otherwise.
pub fn dir(dir: &Path) -> Result<()> {
    match create(dir)? {
        true => Ok(()),
        false => check_dir(dir),
    }
}

/// The data directory: created 0700, or, when it exists (through a symbolic link the user
/// made to move it, which is followed), tightened with everything in it ([`tighten_tree`]).
pub fn dir_for_data(dir: &Path) -> Result<()> {
    match create(dir)? {
        true => Ok(()),
        false => tighten_tree(dir),
    }
}

/// `mkdir` with mode 0700, its parents created as usual; `false` when it existed.
fn create(dir: &Path) -> Result<bool> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| fail(parent, "creating", e))?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    #[cfg(not(unix))]
    let builder = &mut builder; // Windows: the profile's inherited ACL (module doc)
    match builder.create(dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(fail(dir, "creating", e)),
    }
}

/// An existing directory we may keep private files in.
fn check_dir(dir: &Path) -> Result<()> {
    let meta = std::fs::symlink_metadata(dir).map_err(|e| fail(dir, "checking", e))?;
    if meta.file_type().is_symlink() {
        return Err(refused(dir, "is a symbolic link"));
    }
    if !meta.is_dir() {
        return Err(refused(dir, "is not a directory"));
    }
    if !ours(&meta) {
        return Err(refused(dir, "belongs to another user"));
    }
    tighten_entry(dir, &meta, 0o700)
}

/// A new file at `path`, readable and writable by this user only (0600, no execute bit).
/// Fails when anything, a symbolic link included, is already there.
pub fn new_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Create `path` empty and 0600 when it does not exist (so that a program which creates
/// it later, SQLite, takes those modes and derives its other files' from them).
pub fn touch(path: &Path) -> Result<()> {
    match new_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(fail(path, "creating", e)),
    }
}

/// An older install's modes fixed: `dir` and every directory below it 0700, every file
/// 0600. Only entries this user owns are changed; symbolic links are neither followed
/// nor changed.
pub fn tighten_tree(dir: &Path) -> Result<()> {
    let meta = std::fs::metadata(dir).map_err(|e| fail(dir, "checking", e))?;
    tighten_entry(dir, &meta, 0o700)?;
    for entry in std::fs::read_dir(dir).map_err(|e| fail(dir, "reading", e))? {
        let path = entry.map_err(|e| fail(dir, "reading", e))?.path();
        let meta = std::fs::symlink_metadata(&path).map_err(|e| fail(&path, "checking", e))?;
        if meta.is_dir() {
            tighten_tree(&path)?;
        } else if meta.is_file() {
            tighten_entry(&path, &meta, 0o600)?;
        }
    }
    Ok(())
}

/// Whether `dir` exists, is a real directory owned by this user and closed to everyone
/// else (what XDG requires of `$XDG_RUNTIME_DIR`).
pub fn is_private_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|meta| {
        #[cfg(unix)]
        let closed =
            std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & SHARED_BITS == 0;
        #[cfg(not(unix))]
        let closed = true;
        meta.is_dir() && ours(&meta) && closed
    })
}

/// Group and other bits removed from an entry we own (whose metadata is `meta`).
#[cfg(unix)]
fn tighten_entry(path: &Path, meta: &std::fs::Metadata, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let now = meta.permissions().mode() & 0o7777;
    if !ours(meta) || now & SHARED_BITS == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| fail(path, "restricting access to", e))
}

#[cfg(not(unix))]
fn tighten_entry(_: &Path, _: &std::fs::Metadata, _: u32) -> Result<()> {
    Ok(())
}

/// Owned by the user this process runs as (the effective one: whose files it creates).
#[cfg(unix)]
fn ours(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::uid(meta) == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
fn ours(_: &std::fs::Metadata) -> bool {
    true
}

fn fail(path: &Path, doing: &str, e: io::Error) -> Error {
    Error::new(
        ErrorKind::Storage,
        format!("{doing} {}: {e}", path.display()),
    )
}

fn refused(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::Storage,
        format!(
            "{} {why}: Courriel keeps private files only in a directory of its own",
            path.display()
        ),
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .expect("stat")
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn directories_are_0700_and_files_0600_whatever_the_umask() {
        let tmp = tempfile::tempdir().expect("tmp");
        let d = tmp.path().join("a/b");
        dir(&d).expect("dir");
        assert_eq!(mode(&d), 0o700);
        new_file(&d.join("f")).expect("file");
        assert_eq!(mode(&d.join("f")), 0o600);
        touch(&d.join("f")).expect("touch an existing file");
        // Wider modes on our own directory are narrowed.
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        dir(&d).expect("again");
        assert_eq!(mode(&d), 0o700);
    }

    #[test]
    fn a_symbolic_link_is_never_used_or_followed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let victim = tmp.path().join("victim");
        std::fs::create_dir(&victim).expect("victim");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).expect("symlink");
        let e = dir(&link).expect_err("a link is refused");
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        std::os::unix::fs::symlink(victim.join("x"), tmp.path().join("file")).expect("link");
        let e = new_file(&tmp.path().join("file")).expect_err("not through a link");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(!victim.join("x").exists());
        // tighten_tree leaves the link and its target alone.
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        tighten_tree(tmp.path()).expect("tighten");
        assert_eq!(mode(&victim), 0o700, "a real directory below is tightened");
        assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
    }
}
