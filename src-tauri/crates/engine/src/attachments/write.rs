//! Writing an attachment to a folder: under its safe name, as a new file (never over an
//! existing one, never through a symbolic link), 0600 and never executable, then marked as
//! downloaded from the Internet where the OS keeps such a mark.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::filename;
use crate::private;

/// Write `bytes` as `name` (made [`filename::safe`]) in `dir`, as "name (2).ext" when
/// taken; returns where it went. On Windows the name is shortened so that the whole path
/// stays within `MAX_PATH`, which Explorer and the program opening it need.
pub fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let mut name = filename::safe(name);
    if cfg!(windows) {
        name = filename::fit_windows_path(&dir.to_string_lossy(), &name);
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name.as_str(), String::new()),
    };
    for n in 1..1000 {
        let path = if n == 1 {
            dir.join(&name)
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        match private::new_file(&path) {
            Ok(mut file) => {
                file.write_all(bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::from(e).context(path.display()))?;
                mark_downloaded(&path);
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::from(e).context(path.display())),
        }
    }
    Err(Error::new(
        ErrorKind::Storage,
        format!("too many copies of {name} in {}", dir.display()),
    ))
}

/// Windows: the `Zone.Identifier` stream (ZoneId=3, the Internet zone), so SmartScreen and
/// Office's Protected View treat the file as downloaded. A failure (a FAT drive has no
/// streams) leaves the file unmarked, as a browser would.
#[cfg(windows)]
fn mark_downloaded(path: &Path) {
    let mut stream = path.as_os_str().to_owned();
    stream.push(":Zone.Identifier");
    if let Err(e) = std::fs::write(&stream, "[ZoneTransfer]\r\nZoneId=3\r\n") {
        tracing::info!("could not mark {} as downloaded: {e}", path.display());
    }
}

/// macOS: the `com.apple.quarantine` attribute, so Gatekeeper checks the file before it
/// first runs. Set with the system's `xattr` tool (no FFI: the crate forbids unsafe code).
#[cfg(target_os = "macos")]
fn mark_downloaded(path: &Path) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let value = format!("0081;{secs:x};Courriel;");
    let done = std::process::Command::new("/usr/bin/xattr")
        .args(["-w", "com.apple.quarantine", &value])
        .arg(path)
        .status();
    if !done.is_ok_and(|s| s.success()) {
        tracing::info!("could not mark {} as downloaded", path.display());
    }
}

/// Linux and the BSDs have no such mark that desktops honour: nothing to do. What protects
/// the user there is that the file is never executable (0600) and that Open asks first
/// for anything that runs.
#[cfg(not(any(windows, target_os = "macos")))]
fn mark_downloaded(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_never_overwrite_or_escape() {
        let dir = tempfile::tempdir().expect("dir");
        let dir = dir.path();
        let first = write_new(dir, "../../etc/report.pdf", b"1").expect("first");
        let second = write_new(dir, "report.pdf", b"2").expect("second");
        assert_eq!(first, dir.join("report.pdf"));
        assert_eq!(second, dir.join("report (2).pdf"));
        assert_eq!(std::fs::read(&first).expect("read"), b"1");
        let script = write_new(dir, "run\u{202e}hs.txt.sh", b"#!/bin/sh\n").expect("script");
        assert_eq!(script, dir.join("runhs.txt.sh"));
        assert_eq!(
            write_new(dir, "...", b"3").expect("empty"),
            dir.join("attachment")
        );
        assert_eq!(
            write_new(dir, "nul.txt", b"4").expect("device"),
            dir.join("_nul.txt")
        );
    }

    #[cfg(unix)]
    #[test]
    fn attachments_are_never_executable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let script = write_new(dir.path(), "run.sh", b"#!/bin/sh\n").expect("script");
        let mode = std::fs::metadata(&script)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    /// The mark SmartScreen and Office's Protected View read, in the file's stream.
    #[cfg(windows)]
    #[test]
    fn a_saved_attachment_is_marked_as_from_the_internet() {
        let dir = tempfile::tempdir().expect("dir");
        let path = write_new(dir.path(), "invoice.pdf", b"%PDF").expect("write");
        let mut stream = path.as_os_str().to_owned();
        stream.push(":Zone.Identifier");
        let mark = std::fs::read_to_string(&stream).expect("the Zone.Identifier stream");
        assert!(mark.contains("ZoneId=3"), "{mark}");
        assert_eq!(std::fs::read(&path).expect("content"), b"%PDF");
    }

    /// Gatekeeper's mark, read back with the system's own tool.
    #[cfg(target_os = "macos")]
    #[test]
    fn a_saved_attachment_is_quarantined() {
        let dir = tempfile::tempdir().expect("dir");
        let path = write_new(dir.path(), "tool.zip", b"PK").expect("write");
        let out = std::process::Command::new("/usr/bin/xattr")
            .args(["-p", "com.apple.quarantine"])
            .arg(&path)
            .output()
            .expect("xattr");
        let mark = String::from_utf8_lossy(&out.stdout);
        assert!(
            mark.starts_with("0081;") && mark.contains(";Courriel;"),
            "{mark}"
        );
    }

    /// Deep in a folder, the name is cut so the whole path stays within `MAX_PATH`.
    #[cfg(windows)]
    #[test]
    fn a_deep_folder_keeps_the_path_within_max_path() {
        use std::os::windows::ffi::OsStrExt;
        let tmp = tempfile::tempdir().expect("dir");
        let dir = tmp.path().join("d".repeat(120));
        std::fs::create_dir(&dir).expect("deep");
        let path = write_new(&dir, &format!("{}.pdf", "n".repeat(190)), b"1").expect("write");
        let units = path.as_os_str().encode_wide().count();
        assert!(
            units <= filename::WINDOWS_MAX_PATH,
            "{units}: {}",
            path.display()
        );
        assert!(path.to_string_lossy().ends_with(".pdf"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_way_is_not_followed() {
        let dir = tempfile::tempdir().expect("dir");
        let victim = dir.path().join("victim");
        std::fs::create_dir(&victim).expect("victim");
        std::os::unix::fs::symlink(victim.join("autostart.desktop"), dir.path().join("x.pdf"))
            .expect("link");
        let path = write_new(dir.path(), "x.pdf", b"%PDF").expect("write");
        assert_eq!(path, dir.path().join("x (2).pdf"));
        assert!(!victim.join("autostart.desktop").exists());
    }
}
