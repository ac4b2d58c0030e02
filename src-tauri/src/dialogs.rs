//! The system's file dialogs (tauri-plugin-dialog: GTK on Linux, the native panels on
//! macOS and Windows): Attach in compose, Save attachment and Save as .eml. They are
//! opened from Rust only, by the commands that need them; the page is granted none of the
//! plugin's own commands (capabilities/default.json), so neither a message nor a draft can
//! open a dialog or learn a path the user did not pick.
//!
//! Saving asks where, starting in Downloads under the file's safe name. When no dialog can
//! be shown (no window), Save goes to Downloads as before; the CLI always does.
//!
//! Test seam: tauri-driver cannot click a native dialog. When `COURRIEL_TEST_DIALOG_PICK`
//! names a file, every dialog is answered from it without being shown: its lines are the
//! paths picked; a save dialog takes the first line, or the suggested name inside it when
//! that line is a folder; an empty file is Cancel; a missing file is "no dialog" (Save goes
//! to Downloads, as the other end-to-end tests expect; Attach picks nothing). Print is
//! answered too: the request is recorded in `<that file>.printed` instead of opening the
//! print dialog. tests/e2e/run sets it; nothing else does.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

/// The environment variable of the test seam (module doc).
pub const TEST_PICK: &str = "COURRIEL_TEST_DIALOG_PICK";

/// The seam's answer file, when the test seam is on.
fn seam() -> Option<PathBuf> {
    std::env::var_os(TEST_PICK)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The seam's answer: the file's non-empty lines (none when it is missing).
fn seam_lines(file: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The seam's answer to a save dialog suggesting `name`.
fn seam_save(file: &Path, name: &str) -> SaveTo {
    if !file.exists() {
        return SaveTo::NoDialog;
    }
    match seam_lines(file).into_iter().next() {
        Some(dir) if dir.is_dir() => SaveTo::Chosen(dir.join(name)),
        Some(chosen) => SaveTo::Chosen(chosen),
        None => SaveTo::Cancelled,
    }
}

/// Asks for files to attach; `None` when the user cancelled.
pub async fn pick_files<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<Vec<PathBuf>> {
    if let Some(file) = seam() {
        let picked = seam_lines(&file);
        return (!picked.is_empty()).then_some(picked);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog.pick_files(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx.await.ok()??;
    let paths: Vec<PathBuf> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    (!paths.is_empty()).then_some(paths)
}

/// What a save dialog answered.
#[derive(Debug, PartialEq, Eq)]
pub enum SaveTo {
    /// The user chose this file.
    Chosen(PathBuf),
    /// The user cancelled: nothing is saved.
    Cancelled,
    /// No dialog could be shown: the caller saves where it would without one.
    NoDialog,
}

/// Asks where to save a file named `name`, starting in `dir`.
pub async fn save_file<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    dir: &Path,
    name: &str,
) -> SaveTo {
    if let Some(file) = seam() {
        return seam_save(&file, name);
    }
    let Some(window) = app.get_webview_window("main") else {
        return SaveTo::NoDialog;
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_parent(&window)
        .set_directory(dir)
        .set_file_name(name)
        .save_file(move |chosen| {
            let _ = tx.send(chosen);
        });
    match rx.await {
        Ok(Some(chosen)) => chosen.into_path().map_or(SaveTo::Cancelled, SaveTo::Chosen),
        Ok(None) => SaveTo::Cancelled,
        Err(_) => SaveTo::NoDialog, // the dialog went away without an answer
    }
}

/// Whether the test seam answers Print (it records the request in `<file>.printed`).
pub fn seam_print(what: &str) -> bool {
    let Some(file) = seam() else {
        return false;
    };
    let mut log = file.into_os_string();
    log.push(".printed");
    let line = format!("{what}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
    if let Err(e) = written {
        tracing::warn!("the print seam could not record the request: {e}");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seam_file_answers_open_and_save_dialogs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let answer = dir.path().join("answer");
        assert!(
            seam_lines(&answer).is_empty(),
            "a missing file picks nothing"
        );
        assert_eq!(seam_save(&answer, "a.txt"), SaveTo::NoDialog);
        std::fs::write(&answer, "\n").expect("write the answer");
        assert_eq!(seam_save(&answer, "a.txt"), SaveTo::Cancelled);

        std::fs::write(&answer, "/tmp/one.txt\n\n  /tmp/two.pdf \n").expect("write the answer");
        assert_eq!(
            seam_lines(&answer),
            [PathBuf::from("/tmp/one.txt"), PathBuf::from("/tmp/two.pdf")]
        );
        assert_eq!(
            seam_save(&answer, "a.txt"),
            SaveTo::Chosen(PathBuf::from("/tmp/one.txt"))
        );

        std::fs::write(&answer, format!("{}\n", dir.path().display())).expect("write the answer");
        assert_eq!(
            seam_save(&answer, "a.txt"),
            SaveTo::Chosen(dir.path().join("a.txt"))
        );
    }
}
