//! Where "Open" puts the copy it hands to another application: a directory only this user
//! can enter, emptied when the app exits (and at the next start, after a crash).
//!
//! `$XDG_RUNTIME_DIR/courriel/attachments` when the runtime directory is what XDG
//! promises (ours, closed to others; in memory, gone at logout), else the cache,
//! `~/.cache/courriel/attachments` (the OS cache directory elsewhere). Never the shared
//! temporary directory: there another local user can create `courriel/<id>` first, as a
//! link into the victim's home, and have a mail's attachment written wherever it points.
//! Both levels are created 0700, or checked to be real directories of ours, and refused
//! otherwise.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::private;

/// The private directory for attachments being opened.
#[derive(Debug, Clone)]
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// This user's directory (see the module's doc), created or checked.
    pub fn for_user() -> Result<Scratch> {
        let dirs = crate::dirs::AppDirs::current();
        let runtime = dirs.as_ref().and_then(|d| d.runtime.as_deref());
        Scratch::choose(runtime, dirs.as_ref().map(|d| d.cache.as_path()))
    }

    /// The directory under `runtime` (`$XDG_RUNTIME_DIR`) when that is private, else
    /// under `cache` (the app's own cache directory).
    pub fn choose(runtime: Option<&Path>, cache: Option<&Path>) -> Result<Scratch> {
        let base = match runtime.filter(|r| private::is_private_dir(r)) {
            Some(runtime) => runtime.join("courriel"),
            None => cache.map(Path::to_owned).ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    "no private directory to open attachments from (no runtime or cache directory)",
                )
            })?,
        };
        private::dir(&base)?;
        let dir = base.join("attachments");
        private::dir(&dir)?;
        Ok(Scratch { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Remove every copy (and anything else) in the directory; returns how many entries
    /// went. Links are removed, never followed.
    pub fn clear(&self) -> Result<usize> {
        let fail = |e: std::io::Error| Error::from(e).context(self.dir.display());
        let mut removed = 0;
        for entry in std::fs::read_dir(&self.dir).map_err(fail)? {
            let path = entry.map_err(fail)?.path();
            let meta = std::fs::symlink_metadata(&path).map_err(fail)?;
            if meta.is_dir() {
                std::fs::remove_dir_all(&path).map_err(fail)?;
            } else {
                std::fs::remove_file(&path).map_err(fail)?;
            }
            removed += 1;
        }
        Ok(removed)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .expect("stat")
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn a_private_runtime_directory_is_preferred_and_both_levels_are_0700() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (runtime, cache) = (tmp.path().join("run"), tmp.path().join("cache"));
        std::fs::create_dir(&runtime).expect("runtime");
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        let scratch = Scratch::choose(Some(&runtime), Some(&cache)).expect("scratch");
        assert_eq!(scratch.dir(), runtime.join("courriel/attachments"));
        assert_eq!(mode(&runtime.join("courriel")), 0o700);
        assert_eq!(mode(scratch.dir()), 0o700);
        // A runtime directory open to others is not what XDG promises: the cache is used.
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
        let scratch = Scratch::choose(Some(&runtime), Some(&cache)).expect("scratch");
        assert_eq!(scratch.dir(), cache.join("attachments"));
        assert_eq!(mode(&cache), 0o700);
    }

    #[test]
    fn a_link_planted_where_the_directory_goes_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (cache, victim) = (tmp.path().join("cache"), tmp.path().join("victim"));
        std::fs::create_dir_all(&cache).expect("cache");
        std::fs::create_dir(&victim).expect("victim");
        std::os::unix::fs::symlink(&victim, cache.join("attachments")).expect("link");
        let e = Scratch::choose(None, Some(&cache)).expect_err("refused");
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        assert_eq!(std::fs::read_dir(&victim).expect("victim").count(), 0);
    }

    #[test]
    fn clearing_removes_the_copies_and_only_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, b"keep").expect("outside");
        let scratch = Scratch::choose(None, Some(&tmp.path().join("cache"))).expect("scratch");
        crate::attachments::write::write_new(scratch.dir(), "a.pdf", b"1").expect("a");
        std::fs::create_dir(scratch.dir().join("sub")).expect("sub");
        std::os::unix::fs::symlink(&outside, scratch.dir().join("link")).expect("link");
        assert_eq!(scratch.clear().expect("clear"), 3);
        assert_eq!(std::fs::read_dir(scratch.dir()).expect("dir").count(), 0);
        assert_eq!(std::fs::read(&outside).expect("kept"), b"keep");
    }

    /// Another local user (`nobody`) prepares the directory in a shared, sticky
    /// directory used as the runtime or cache directory: Courriel refuses it.
    #[test]
    fn a_directory_made_by_another_user_is_refused() {
        if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!("skipped: needs root and setpriv to act as a second user");
            return;
        }
        let shared = tempfile::tempdir().expect("tmp");
        std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777))
            .expect("chmod");
        let cache = shared.path().join("cache");
        let status = Command::new("setpriv")
            .args([
                "--reuid",
                "nobody",
                "--regid",
                "nogroup",
                "--clear-groups",
                "--",
            ])
            .args(["sh", "-c", "umask 000 && mkdir -p \"$1/attachments\"", "sh"])
            .arg(&cache)
            .status()
            .expect("setpriv");
        assert!(status.success(), "nobody prepares the directory");
        let e = Scratch::choose(Some(shared.path()), Some(&cache)).expect_err("refused");
        assert!(e.message.contains("another user"), "{}", e.message);
        assert_eq!(mode(&cache), 0o777, "nobody's directory is left alone");
    }

    fn is_root() -> bool {
        rustix::process::geteuid().is_root()
    }
}
