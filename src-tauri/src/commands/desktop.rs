//! The installed app: drafts from `mailto:` links, and Settings → background mode (see
//! `desktop.rs`).

use courriel_engine::api::Draft;
use courriel_engine::CommandError;
use tauri::{AppHandle, State};

use crate::desktop::{self, Desktop, DesktopSettings};

/// The drafts of the `mailto:` links received since the last call (each one once).
#[tauri::command]
pub fn take_mailto() -> Vec<Draft> {
    desktop::take_mailtos()
}

/// Whether closing the window keeps Courriel in the tray, and whether it starts there.
#[tauri::command]
pub fn desktop_settings(desktop: State<'_, Desktop>) -> DesktopSettings {
    desktop.settings()
}

/// Saves the background-mode choices and applies them at once (the tray icon).
#[tauri::command]
pub fn set_desktop_settings(
    app: AppHandle,
    settings: DesktopSettings,
) -> Result<DesktopSettings, CommandError> {
    desktop::apply(&app, settings)
}

/// The page saved what was being written: the close or quit it was told of goes on.
#[tauri::command]
pub fn ready_to_close(app: AppHandle) {
    crate::closing::finish(&app);
}
