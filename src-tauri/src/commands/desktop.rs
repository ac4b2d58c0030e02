//! The installed app: drafts from `mailto:` links (see `desktop.rs`), and closing.

use courriel_engine::api::Draft;
use tauri::AppHandle;

use crate::desktop;

/// The drafts of the `mailto:` links received since the last call (each one once).
#[tauri::command]
pub fn take_mailto() -> Vec<Draft> {
    desktop::take_mailtos()
}

/// Ctrl+Q: quit as the tray's Quit does, once the page has saved what is being written.
#[tauri::command]
pub fn quit(app: AppHandle) {
    crate::closing::begin(&app, crate::closing::After::Exit);
}

/// The page saved what was being written: the close or quit it was told of goes on.
#[tauri::command]
pub fn ready_to_close(app: AppHandle) {
    crate::closing::finish(&app);
}
